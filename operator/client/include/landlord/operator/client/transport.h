#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "landlord/operator/client/client.h"
#include "landlord/operator/client/kubeconfig.h"

namespace landlord::kube {

struct HttpRequest {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // path and query, e.g. "/api/v1/nodes?limit=500"
  std::string contentType;
  std::string body;
  std::string accept = "application/json";
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::optional<int> retryAfterSeconds;
};

// A response whose body is read as it arrives (watches).
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  virtual int status() const = 0;
  // The next '\n'-terminated line without the newline; nullopt at the end.
  virtual std::optional<std::string> readLine() = 0;
  // The rest of the body (for error responses).
  virtual std::string readAll() = 0;
  // Aborts the connection from any thread; readLine() returns nullopt.
  virtual void cancel() = 0;
};

// Sends HTTP requests to one API server with its TLS and auth applied.
// Throws TransportError / TlsError when no response came. Thread-safe.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual HttpResponse send(const HttpRequest& request) = 0;
  // For watches: returns once response headers arrived. timeout bounds the
  // silence between two reads, not the whole stream.
  virtual std::unique_ptr<ResponseStream> stream(const HttpRequest& request,
                                                 std::chrono::milliseconds timeout) = 0;
  virtual std::string server() const = 0;
};

// HTTPS (or HTTP for plain "http://" servers) with OpenSSL: verifies the server
// against the configured CA, TLS 1.2 minimum, client certificates, bearer token
// (file re-read on change), per-request timeout, User-Agent. send() runs on the
// caller's thread over a pool of kept-alive Boost.Beast connections; stream()
// (watches) over a Beast connection of its own, read on the watching thread.
std::unique_ptr<Transport> makeHttpsTransport(const RestConfig& config);

// Connects once with OpenSSL alone and explains why the handshake fails, e.g.
// "server certificate verification failed: certificate has expired". Empty
// when the handshake succeeds. Used to give TLS errors a clear cause.
std::string diagnoseTlsHandshake(const RestConfig& config);

}  // namespace landlord::kube
