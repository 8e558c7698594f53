#pragma once

#include <memory>
#include <string>

#include "http1_response.h"
#include "landlord/operator/client/kubeconfig.h"
#include "landlord/operator/client/tls_material.h"
#include "landlord/operator/client/transport.h"

namespace landlord::hollow {

// One kept-alive HTTP/1.1 connection to the API server for one thread, with
// blocking reads and writes. The bulk loader sends its requests through it
// rather than through the operator's Transport: cpprest hands each request to
// a thread pool and back, and on 2 cores those hand-offs cost the CPU the API
// server needs (the loader took 17 % of the machine, measured with perf).
// Authenticates with the kubeconfig's client certificate or bearer token.
class HttpConnection {
 public:
  HttpConnection(const kube::RestConfig& config, std::shared_ptr<const kube::TlsMaterial> tls);

  // Connects on first use and again after the server closed the connection.
  // Throws kube::TransportError when no complete response came.
  kube::HttpResponse send(const kube::HttpRequest& request);

 private:
  void connect();
  std::size_t readSome(char* buffer, std::size_t capacity);
  void writeAll(const std::string& bytes);
  std::string requestHead(const kube::HttpRequest& request) const;

  const kube::RestConfig& config_;
  const kube::ServerAddress address_;
  const std::shared_ptr<const kube::TlsMaterial> tls_;
  const std::string authorization_;  // header line, or empty
  kube::SslCtxPtr ctx_;
  kube::BioPtr bio_;  // null while disconnected
  Http1ResponseReader reader_;
};

}  // namespace landlord::hollow
