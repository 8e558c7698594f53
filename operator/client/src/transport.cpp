#include "landlord/operator/client/transport.h"

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

#include "landlord/operator/base/errors.h"
#include "landlord/operator/client/tls_material.h"

namespace landlord::kube {
namespace {

namespace http = web::http;

std::string asn1TimeText(const ASN1_TIME* time) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), time);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
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
    clientConfig.set_ssl_context_callback(
        [tls](boost::asio::ssl::context& ctx) { tls->install(ctx.native_handle()); });
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
  BIO_set_conn_hostname(bio.get(), hostPort(address).c_str());
  verifyServerName(ssl, config.tlsServerName.empty() ? address.host : config.tlsServerName);
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
