#include "landlord/operator/transport.h"

#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/asio/ssl.hpp>
#include <fstream>
#include <mutex>
#include <sstream>

#include "landlord/operator/errors.h"

namespace landlord::kube {
namespace {

namespace http = web::http;

// Frees OpenSSL objects on scope exit.
template <class T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, OpenSslDeleter<SSL_CTX, SSL_CTX_free>>;

std::string openSslErrors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text += (text.empty() ? "" : "; ") + std::string(buffer);
  }
  return text;
}

BioPtr memoryBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::vector<X509Ptr> parseCertificates(const std::string& pem) {
  std::vector<X509Ptr> certs;
  BioPtr bio = memoryBio(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  ERR_clear_error();  // the loop ends on a "no start line" error
  return certs;
}

std::string asn1TimeText(const ASN1_TIME* time) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), time);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// Checks the PEM material up front so a bad kubeconfig fails at start with a
// clear message rather than as an obscure handshake error on first use.
void validateTlsMaterial(const RestConfig& config) {
  if (!config.caPem.empty() && parseCertificates(config.caPem).empty()) {
    throw ConfigError("certificate-authority " + config.caFile +
                      " holds no PEM certificate (server " + config.server + ")");
  }
  if (!config.clientCertPem.empty()) {
    if (parseCertificates(config.clientCertPem).empty()) {
      throw ConfigError("client-certificate " + config.clientCertFile +
                        " holds no PEM certificate");
    }
    BioPtr bio = memoryBio(config.clientKeyPem);
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
      throw ConfigError("client-key for " + config.clientCertFile +
                        " is not a PEM private key: " + openSslErrors());
    }
  }
}

using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter<X509_STORE, X509_STORE_free>>;

// The configured trust and identity, decoded once per transport. cpprest makes
// an SSL_CTX per connection; decoding PEM there (OpenSSL 3's decoders take
// process-wide locks) made many concurrent connections slower than a few.
struct TlsMaterial {
  X509StorePtr trust;  // only the configured CA, never the system store
  std::vector<X509Ptr> clientChain;
  PkeyPtr clientKey;

  explicit TlsMaterial(const RestConfig& config) {
    if (!config.caPem.empty()) {
      trust.reset(X509_STORE_new());
      for (const X509Ptr& cert : parseCertificates(config.caPem)) {
        X509_STORE_add_cert(trust.get(), cert.get());
      }
    }
    if (!config.clientCertPem.empty()) {
      clientChain = parseCertificates(config.clientCertPem);
      BioPtr bio = memoryBio(config.clientKeyPem);
      clientKey.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    }
  }

  // Installs it into one connection's context (all shared by reference count),
  // with TLS 1.2 as the minimum.
  void install(SSL_CTX* ctx) const {
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (trust) {
      SSL_CTX_set1_cert_store(ctx, trust.get());
    }
    if (!clientChain.empty() && clientKey) {
      SSL_CTX_use_certificate(ctx, clientChain.front().get());
      for (std::size_t i = 1; i < clientChain.size(); ++i) {
        SSL_CTX_add1_chain_cert(ctx, clientChain[i].get());
      }
      SSL_CTX_use_PrivateKey(ctx, clientKey.get());
    }
  }
};

struct ServerAddress {
  std::string host;
  std::string port;
  bool https = true;
};

ServerAddress parseServer(const std::string& server) {
  ServerAddress address;
  std::string rest = server;
  if (rest.rfind("https://", 0) == 0) {
    rest = rest.substr(8);
  } else if (rest.rfind("http://", 0) == 0) {
    rest = rest.substr(7);
    address.https = false;
  }
  rest = rest.substr(0, rest.find('/'));
  std::size_t colon = rest.rfind(':');
  std::size_t bracket = rest.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    address.host = rest.substr(0, colon);
    address.port = rest.substr(colon + 1);
  } else {
    address.host = rest;
    address.port = address.https ? "443" : "80";
  }
  if (address.host.size() > 1 && address.host.front() == '[') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  return address;
}

// The bearer token: fixed, or read from a file and re-read whenever the file
// changes (projected service-account tokens are rotated by the kubelet).
class TokenSource {
 public:
  TokenSource(std::string token, std::string file)
      : token_(std::move(token)), file_(std::move(file)) {}

  std::string token() {
    if (file_.empty()) {
      return token_;
    }
    std::lock_guard lock(mutex_);
    struct stat info {};
    if (::stat(file_.c_str(), &info) == 0 &&
        (info.st_mtim.tv_sec != modified_.tv_sec || info.st_mtim.tv_nsec != modified_.tv_nsec ||
         info.st_ino != inode_ || token_.empty())) {
      std::ifstream in(file_);
      std::ostringstream text;
      text << in.rdbuf();
      std::string fresh = text.str();
      while (!fresh.empty() && std::isspace(static_cast<unsigned char>(fresh.back()))) {
        fresh.pop_back();
      }
      if (!fresh.empty()) {
        token_ = std::move(fresh);
        modified_ = info.st_mtim;
        inode_ = info.st_ino;
      }
    }
    return token_;
  }

 private:
  std::mutex mutex_;
  std::string token_;  // guarded by mutex_ when file_ is set
  const std::string file_;
  timespec modified_{};  // guarded by mutex_
  ino_t inode_ = 0;      // guarded by mutex_
};

class CpprestResponseStream final : public ResponseStream {
 public:
  CpprestResponseStream(http::http_response response, pplx::cancellation_token_source cancel)
      : response_(std::move(response)), body_(response_.body()), cancel_(std::move(cancel)) {}

  ~CpprestResponseStream() override { cancel(); }

  int status() const override { return response_.status_code(); }

  std::optional<std::string> readLine() override {
    while (!cancelled_.load()) {
      concurrency::streams::container_buffer<std::string> line;
      std::size_t read = 0;
      try {
        read = body_.read_line(line).get();
      } catch (const std::exception&) {
        return std::nullopt;  // connection closed or cancelled
      }
      if (read == 0 && body_.is_eof()) {
        return std::nullopt;
      }
      if (!line.collection().empty()) {
        return std::move(line.collection());
      }
      if (body_.is_eof()) {
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  std::string readAll() override {
    try {
      return response_.extract_utf8string(true).get();
    } catch (const std::exception&) {
      return {};
    }
  }

  void cancel() override {
    if (!cancelled_.exchange(true)) {
      cancel_.cancel();
    }
  }

 private:
  http::http_response response_;
  concurrency::streams::istream body_;
  pplx::cancellation_token_source cancel_;
  std::atomic<bool> cancelled_{false};
};

std::shared_ptr<const TlsMaterial> validatedTlsMaterial(const RestConfig& config) {
  if (parseServer(config.server).https) {
    validateTlsMaterial(config);
  }
  return std::make_shared<const TlsMaterial>(config);
}

class HttpsTransport final : public Transport {
 public:
  explicit HttpsTransport(const RestConfig& config)
      : config_(config),
        address_(parseServer(config.server)),
        tokens_(config.token, config.tokenFile),
        tls_(validatedTlsMaterial(config)),
        client_(makeClient(config.timeout)) {}

  HttpResponse send(const HttpRequest& request) override {
    RequestContext context{config_.server, request.method, request.path};
    for (int attempt = 0;; ++attempt) {
      std::shared_ptr<http::client::http_client> client = pooledClient();
      try {
        return sendOnce(*client, request);
      } catch (const std::exception& error) {
        // Pooled keep-alive connections the server closed (e.g. when the API
        // server restarted) fail on first use: drop the pool and retry once
        // when the request cannot have been processed.
        if (attempt == 0 && isStaleConnection(request, error.what())) {
          replacePool(client);
          continue;
        }
        throwTransportError(context, error);
      }
    }
  }

  std::shared_ptr<http::client::http_client> pooledClient() const {
    std::lock_guard lock(clientMutex_);
    return client_;
  }

  void replacePool(const std::shared_ptr<http::client::http_client>& stale) {
    std::lock_guard lock(clientMutex_);
    if (client_ == stale) {
      client_ = makeClient(config_.timeout);
    }
  }

  HttpResponse sendOnce(http::client::http_client& client, const HttpRequest& request) {
    {
      http::http_response response = client.request(toCpprest(request)).get();
      HttpResponse out;
      out.status = response.status_code();
      out.body = response.extract_utf8string(true).get();
      auto retry = response.headers().find("Retry-After");
      if (retry != response.headers().end()) {
        try {
          out.retryAfterSeconds = std::stoi(retry->second);
        } catch (const std::exception&) {
        }
      }
      return out;
    }
  }

  static bool isStaleConnection(const HttpRequest& request, std::string_view what) {
    if (what.starts_with("Failed to write request")) {
      return true;
    }
    return request.method == "GET" && (what.starts_with("Failed to read HTTP status line") ||
                                       what.find("End of file") != std::string_view::npos ||
                                       what.find("reset by peer") != std::string_view::npos);
  }

  std::unique_ptr<ResponseStream> stream(const HttpRequest& request,
                                         std::chrono::milliseconds timeout) override {
    RequestContext context{config_.server, request.method, request.path};
    // A client per stream: the watch holds its connection for minutes and
    // needs its own (longer) inactivity timeout.
    std::shared_ptr<http::client::http_client> client = makeClient(timeout);
    pplx::cancellation_token_source cancel;
    try {
      http::http_response response = client->request(toCpprest(request), cancel.get_token()).get();
      return std::make_unique<CpprestResponseStreamOwner>(std::move(client), std::move(response),
                                                          std::move(cancel));
    } catch (const std::exception& error) {
      throwTransportError(context, error);
    }
  }

  std::string server() const override { return config_.server; }

 private:
  // Keeps the per-stream client alive as long as its response.
  class CpprestResponseStreamOwner final : public ResponseStream {
   public:
    CpprestResponseStreamOwner(std::shared_ptr<http::client::http_client> client,
                               http::http_response response, pplx::cancellation_token_source cancel)
        : client_(std::move(client)), stream_(std::move(response), std::move(cancel)) {}
    int status() const override { return stream_.status(); }
    std::optional<std::string> readLine() override { return stream_.readLine(); }
    std::string readAll() override { return stream_.readAll(); }
    void cancel() override { stream_.cancel(); }

   private:
    std::shared_ptr<http::client::http_client> client_;
    CpprestResponseStream stream_;
  };

  std::shared_ptr<http::client::http_client> makeClient(std::chrono::milliseconds timeout) const {
    http::client::http_client_config clientConfig;
    clientConfig.set_timeout(timeout);
    clientConfig.set_validate_certificates(!config_.insecureSkipTlsVerify);
    std::shared_ptr<const TlsMaterial> tls = tls_;
    clientConfig.set_ssl_context_callback([tls](boost::asio::ssl::context& ctx) {
      tls->install(ctx.native_handle());
    });
    return std::make_shared<http::client::http_client>(config_.server, clientConfig);
  }

  http::http_request toCpprest(const HttpRequest& request) {
    http::http_request out(request.method);
    out.set_request_uri(request.path);
    out.headers().add("User-Agent",
                      config_.userAgent.empty() ? defaultUserAgent() : config_.userAgent);
    out.headers().add("Accept", request.accept);
    std::string token = tokens_.token();
    if (!token.empty()) {
      out.headers().add("Authorization", "Bearer " + token);
    } else if (!config_.username.empty()) {
      const std::string credentials = config_.username + ":" + config_.password;
      out.headers().add("Authorization",
                        "Basic " + utility::conversions::to_base64(std::vector<unsigned char>(
                                       credentials.begin(), credentials.end())));
    }
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH") {
      out.set_body(request.body,
                   request.contentType.empty() ? "application/json" : request.contentType);
    }
    return out;
  }

  [[noreturn]] void throwTransportError(const RequestContext& context,
                                        const std::exception& error) const {
    std::string what = error.what();
    bool looksLikeTls = what.find("SSL") != std::string::npos ||
                        what.find("handshake") != std::string::npos ||
                        what.find("certificate") != std::string::npos;
    if (address_.https && looksLikeTls) {
      std::string cause = diagnoseTlsHandshake(config_);
      throw TlsError(context, "TLS handshake failed: " + (cause.empty() ? what : cause));
    }
    throw TransportError(context, what);
  }

  const RestConfig config_;
  const ServerAddress address_;
  mutable TokenSource tokens_;
  // Shared with every connection's context callback, which may outlive this.
  std::shared_ptr<const TlsMaterial> tls_;
  mutable std::mutex clientMutex_;
  // Thread-safe itself and pools connections; the pointer is guarded by
  // clientMutex_ (replaced when its connections went stale).
  std::shared_ptr<http::client::http_client> client_;
};

}  // namespace

std::unique_ptr<Transport> makeHttpsTransport(const RestConfig& config) {
  return std::make_unique<HttpsTransport>(config);
}

std::string diagnoseTlsHandshake(const RestConfig& config) {
  ServerAddress address = parseServer(config.server);
  std::string where = "server " + config.server;

  if (!config.clientCertPem.empty()) {
    std::vector<X509Ptr> chain = parseCertificates(config.clientCertPem);
    if (!chain.empty() && X509_cmp_current_time(X509_get0_notAfter(chain.front().get())) < 0) {
      return "client certificate " + config.clientCertFile + " expired on " +
             asn1TimeText(X509_get0_notAfter(chain.front().get()));
    }
  }

  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  TlsMaterial(config).install(ctx.get());
  SSL_CTX_set_verify(ctx.get(), config.insecureSkipTlsVerify ? SSL_VERIFY_NONE : SSL_VERIFY_PEER,
                     nullptr);
  BioPtr bio(BIO_new_ssl_connect(ctx.get()));
  SSL* ssl = nullptr;
  BIO_get_ssl(bio.get(), &ssl);
  std::string hostPort =
      (address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host) +
      ":" + address.port;
  BIO_set_conn_hostname(bio.get(), hostPort.c_str());
  const std::string& verifyName =
      config.tlsServerName.empty() ? address.host : config.tlsServerName;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (X509_VERIFY_PARAM_set1_ip_asc(param, verifyName.c_str()) != 1) {
    ERR_clear_error();
    X509_VERIFY_PARAM_set1_host(param, verifyName.c_str(), 0);
    SSL_set_tlsext_host_name(ssl, verifyName.c_str());
  }
  // For an SSL BIO, connecting includes the handshake.
  bool connected = BIO_do_connect(bio.get()) > 0;
  if (connected) {
    int fd = -1;
    BIO_get_fd(bio.get(), &fd);
    if (fd >= 0) {
      timeval timeout{5, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    }
    connected = BIO_do_handshake(bio.get()) > 0;
  }
  if (!connected) {
    long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      std::string cause =
          "certificate of " + where + " not trusted: " + X509_verify_cert_error_string(verify);
      if (verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
          verify == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
          verify == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
          verify == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE) {
        cause += " (is certificate-authority " +
                 (config.caFile.empty() ? std::string("unset") : config.caFile) +
                 " the CA that signed it?)";
      }
      ERR_clear_error();
      return cause;
    }
    std::string errors = openSslErrors();
    return "handshake with " + where +
           " failed: " + (errors.empty() ? "connection closed" : errors);
  }
  // Handshake fine: the server may still reject the client certificate after
  // the handshake (TLS 1.3); report nothing specific.
  return {};
}

}  // namespace landlord::kube
