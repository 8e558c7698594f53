#include "http_connection.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "landlord/operator/base/errors.h"

namespace landlord::hollow {

namespace {

std::string readTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw kube::ConfigError("tokenFile " + path + " cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
    token.pop_back();
  return token;
}

std::string authorizationHeader(const kube::RestConfig& config) {
  // The loader runs for minutes: a token file is read once, not watched.
  const std::string token = config.token.empty() && !config.tokenFile.empty()
                                ? readTokenFile(config.tokenFile)
                                : config.token;
  return token.empty() ? std::string() : "Authorization: Bearer " + token + "\r\n";
}

}  // namespace

HttpConnection::HttpConnection(const kube::RestConfig& config,
                               std::shared_ptr<const kube::TlsMaterial> tls)
    : config_(config),
      address_(kube::parseServer(config.server)),
      tls_(std::move(tls)),
      authorization_(authorizationHeader(config)),
      reader_([this](char* buffer, std::size_t capacity) { return readSome(buffer, capacity); }) {
  if (address_.https) {
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    if (!ctx_)
      throw std::runtime_error("cannot create a TLS context: " + kube::openSslErrors());
    tls_->install(ctx_.get());
    if (!tls_->trust) {
      SSL_CTX_set_default_verify_paths(ctx_.get());  // no CA in the kubeconfig: the system's
    }
    SSL_CTX_set_verify(ctx_.get(),
                       config_.insecureSkipTlsVerify ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, nullptr);
  }
}

void HttpConnection::connect() {
  const std::string address = kube::hostPort(address_);
  kube::BioPtr bio(address_.https ? BIO_new_ssl_connect(ctx_.get())
                                  : BIO_new_connect(address.c_str()));
  if (!bio) {
    throw std::runtime_error("cannot create a connection: " + kube::openSslErrors());
  }
  if (address_.https) {
    SSL* ssl = nullptr;
    BIO_get_ssl(bio.get(), &ssl);
    BIO_set_conn_hostname(bio.get(), address.c_str());
    kube::verifyServerName(ssl,
                           config_.tlsServerName.empty() ? address_.host : config_.tlsServerName);
  }
  if (BIO_do_connect(bio.get()) <= 0) {
    const std::string errors = kube::openSslErrors();
    throw std::runtime_error("cannot connect: " + (errors.empty() ? "refused" : errors));
  }
  // A server that stops answering fails the request after the configured
  // timeout instead of blocking the worker for good.
  int fd = -1;
  BIO_get_fd(bio.get(), &fd);
  if (fd >= 0 && config_.timeout.count() > 0) {
    const auto ms = config_.timeout.count();
    timeval timeout{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>(ms % 1000 * 1000)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  }
  bio_ = std::move(bio);
  reader_.reset();
}

std::size_t HttpConnection::readSome(char* buffer, std::size_t capacity) {
  std::size_t got = 0;
  if (BIO_read_ex(bio_.get(), buffer, capacity, &got) == 1) {
    return got;
  }
  // Blocking, with OpenSSL's auto-retry: a retry means the socket timed out.
  if (BIO_should_retry(bio_.get())) {
    throw std::runtime_error("no response within " + std::to_string(config_.timeout.count()) +
                             " ms");
  }
  ERR_clear_error();
  return 0;  // closed
}

void HttpConnection::writeAll(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    std::size_t wrote = 0;
    if (BIO_write_ex(bio_.get(), bytes.data() + sent, bytes.size() - sent, &wrote) != 1) {
      const std::string errors = kube::openSslErrors();
      throw std::runtime_error("write failed: " + (errors.empty() ? "connection closed" : errors));
    }
    sent += wrote;
  }
}

std::string HttpConnection::requestHead(const kube::HttpRequest& request) const {
  std::string head = request.method + " " + request.path + " HTTP/1.1\r\n";
  head += "Host: " + address_.host + ":" + address_.port + "\r\n";
  head += "User-Agent: " +
          (config_.userAgent.empty() ? std::string("landlord-hollow-nodes") : config_.userAgent) +
          "\r\n";
  head += "Accept: " + request.accept + "\r\n";
  head += authorization_;
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
      request.method == "PATCH") {
    head += "Content-Type: " +
            (request.contentType.empty() ? std::string("application/json") : request.contentType) +
            "\r\n";
    head += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  head += "\r\n";
  return head;
}

kube::HttpResponse HttpConnection::send(const kube::HttpRequest& request) {
  try {
    if (!bio_)
      connect();
    writeAll(requestHead(request) + request.body);
    Http1Response answer = reader_.read();
    if (!answer.keepAlive)
      bio_.reset();
    return std::move(answer.response);
  } catch (const std::exception& error) {
    bio_.reset();  // the next request starts on a fresh connection
    throw kube::TransportError(kube::RequestContext{config_.server, request.method, request.path},
                               error.what());
  }
}

}  // namespace landlord::hollow
