#include "landlord/operator/client/transport.h"

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
#include <variant>
#include <vector>

#include "beast_connection.h"
#include "landlord/operator/base/base64.h"
#include "landlord/operator/base/errors.h"
#include "landlord/operator/client/tls_material.h"

namespace landlord::kube {
namespace {

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

// A watch's body, split into lines as it arrives.
class BeastResponseStream final : public ResponseStream {
 public:
  BeastResponseStream(std::shared_ptr<boost::asio::ssl::context> tls,
                      std::unique_ptr<BeastConnection> connection, int status)
      : tls_(std::move(tls)), connection_(std::move(connection)), status_(status) {}

  int status() const override { return status_; }

  std::optional<std::string> readLine() override {
    while (true) {
      if (const auto newline = pending_.find('\n', scanned_); newline != std::string::npos) {
        std::string line = pending_.substr(0, newline);
        pending_.erase(0, newline + 1);
        scanned_ = 0;
        if (!line.empty()) {
          return line;
        }
        continue;
      }
      scanned_ = pending_.size();
      if (pending_.size() > kMaxLine || !connection_->readBodySome(pending_)) {
        // The end, or a line no object could fill: the watch starts over.
        pending_.clear();
        scanned_ = 0;
        return std::nullopt;
      }
    }
  }

  std::string readAll() override {
    std::string body = std::move(pending_);
    pending_.clear();
    while (body.size() <= kMaxLine && connection_->readBodySome(body)) {
    }
    return body;
  }

  void cancel() override { connection_->cancel(); }

 private:
  // An object is at most a few MiB (etcd's request limit); a line past this is
  // not a watch event.
  static constexpr std::size_t kMaxLine = std::size_t{64} << 20;

  std::shared_ptr<boost::asio::ssl::context> tls_;  // outlives the connection using it
  std::unique_ptr<BeastConnection> connection_;
  const int status_;
  std::string pending_;      // read, not yet returned as lines
  std::size_t scanned_ = 0;  // no newline in pending_ before this
};

class HttpsTransport final : public Transport {
 public:
  explicit HttpsTransport(const RestConfig& config)
      : config_(config),
        address_(parseServer(config.server)),
        serverName_(config.tlsServerName.empty() ? address_.host : config.tlsServerName),
        tokens_(config.token, config.tokenFile),
        tls_(validatedTlsMaterial(config)) {
    if (address_.https) {
      tls_->install(tlsContext_->native_handle());
      if (!tls_->trust) {
        tlsContext_->set_default_verify_paths();  // no CA in the kubeconfig: the system's
      }
      tlsContext_->set_verify_mode(config_.insecureSkipTlsVerify ? boost::asio::ssl::verify_none
                                                                 : boost::asio::ssl::verify_peer);
    }
  }

  // Request and response on the caller's thread, over a kept-alive connection
  // from the pool (a new one when none is idle).
  HttpResponse send(const HttpRequest& request) override {
    RequestContext context{config_.server, request.method, request.path};
    const BeastConnection::Request message = toBeast(request);
    for (int attempt = 0;; ++attempt) {
      std::unique_ptr<BeastConnection> connection = checkOut();
      const bool reused = connection->everUsed();
      auto result = connection->roundTrip(message);
      if (auto* response = std::get_if<HttpResponse>(&result)) {
        checkIn(std::move(connection));
        return std::move(*response);
      }
      const RoundTripError& error = std::get<RoundTripError>(result);
      // A kept-alive connection the server closed just as it was taken (the API
      // server restarted, or timed it out): retry once on a fresh connection when
      // the request cannot have been processed.
      if (attempt == 0 && reused && !error.responseStarted &&
          (!error.requestWritten || request.method == "GET")) {
        continue;
      }
      throwTransportError(context, std::runtime_error(error.what));
    }
  }

  // A connection of its own per stream: a watch holds it for minutes.
  std::unique_ptr<ResponseStream> stream(const HttpRequest& request,
                                         std::chrono::milliseconds timeout) override {
    RequestContext context{config_.server, request.method, request.path};
    auto connection = std::make_unique<BeastConnection>(
        address_, address_.https ? tlsContext_.get() : nullptr, serverName_, config_.timeout);
    auto started = connection->startStream(toBeast(request), timeout);
    if (const auto* error = std::get_if<RoundTripError>(&started)) {
      throwTransportError(context, std::runtime_error(error->what));
    }
    return std::make_unique<BeastResponseStream>(tlsContext_, std::move(connection),
                                                 std::get<int>(started));
  }

  std::string server() const override { return config_.server; }

 private:
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

  std::string userAgent() const {
    return config_.userAgent.empty() ? defaultUserAgent() : config_.userAgent;
  }

  // Requests that send a body, even an empty one, with its Content-Type.
  static bool carriesBody(const HttpRequest& request) {
    return !request.body.empty() || request.method == "POST" || request.method == "PUT" ||
           request.method == "PATCH";
  }

  std::string authorization() {
    std::string token = tokens_.token();
    if (!token.empty()) {
      return "Bearer " + token;
    }
    if (!config_.username.empty()) {
      const std::string credentials = config_.username + ":" + config_.password;
      return "Basic " + base64Encode(credentials);
    }
    return {};
  }

  BeastConnection::Request toBeast(const HttpRequest& request) {
    namespace beast_http = boost::beast::http;
    BeastConnection::Request out;
    out.version(11);
    const beast_http::verb verb = beast_http::string_to_verb(request.method);
    if (verb == beast_http::verb::unknown) {
      out.method_string(request.method);
    } else {
      out.method(verb);
    }
    out.target(address_.pathPrefix + request.path);
    out.set(beast_http::field::host, hostPort(address_));
    out.set(beast_http::field::user_agent, userAgent());
    out.set(beast_http::field::accept, request.accept);
    if (std::string credentials = authorization(); !credentials.empty()) {
      out.set(beast_http::field::authorization, credentials);
    }
    if (carriesBody(request)) {
      out.set(beast_http::field::content_type,
              request.contentType.empty() ? "application/json" : request.contentType);
      out.body() = request.body;
      out.prepare_payload();
    }
    return out;
  }

  std::unique_ptr<BeastConnection> checkOut() {
    {
      std::lock_guard lock(idleMutex_);
      while (!idle_.empty()) {
        std::unique_ptr<BeastConnection> connection = std::move(idle_.back());
        idle_.pop_back();
        if (connection->reusable()) {
          return connection;
        }
      }
    }
    return std::make_unique<BeastConnection>(address_, address_.https ? tlsContext_.get() : nullptr,
                                             serverName_, config_.timeout);
  }

  void checkIn(std::unique_ptr<BeastConnection> connection) {
    std::lock_guard lock(idleMutex_);
    if (idle_.size() < kMaxIdleConnections) {
      idle_.push_back(std::move(connection));
    }
  }

  // As many as the busiest moment needed, up to client-go's default per host.
  static constexpr std::size_t kMaxIdleConnections = 100;

  const RestConfig config_;
  const ServerAddress address_;
  const std::string serverName_;
  mutable TokenSource tokens_;
  std::shared_ptr<const TlsMaterial> tls_;
  // One context for every connection, with the trust and identity above; shared
  // with each watch, which may outlive this transport.
  std::shared_ptr<boost::asio::ssl::context> tlsContext_ =
      std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  std::mutex idleMutex_;
  std::vector<std::unique_ptr<BeastConnection>> idle_;  // guarded by idleMutex_
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
