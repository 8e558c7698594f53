#pragma once

// A minimal HTTP/1.1 server for the metrics and health endpoints: GET and
// HEAD only, one request per connection, served on one thread.
//
// Why not cpprestsdk's http_listener: it cannot report the port it bound, so
// tests could not bind port 0 and discover the port; and these endpoints need
// nothing beyond plain GET.

#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>

#include "landlord/operator/base/logging.h"
#include "landlord/operator/base/runnable.h"

namespace landlord::kube {

struct EndpointRequest {
  std::string method;                        // GET or HEAD
  std::string path;                          // without the query
  std::map<std::string, std::string> query;  // "?verbose" gives {"verbose", ""}
};

struct EndpointResponse {
  int status = 200;
  std::string contentType = "text/plain; charset=utf-8";
  std::string body;
};

using EndpointHandler = std::function<EndpointResponse(const EndpointRequest&)>;

// Splits "host:port", ":port" (every interface) or "[v6]:port". Throws
// std::invalid_argument naming the address when it is malformed.
struct BindAddress {
  std::string host;  // empty: every interface
  int port = 0;
};
BindAddress parseBindAddress(const std::string& address);

class EndpointServer final : public Runnable {
 public:
  // `name` labels logs ("metrics", "health probe").
  EndpointServer(std::string name, std::string bindAddress, Logger logger);
  ~EndpointServer() override;
  EndpointServer(const EndpointServer&) = delete;
  EndpointServer& operator=(const EndpointServer&) = delete;

  // Serves `path` exactly; with `prefix`, also every path below "path/".
  void handle(const std::string& path, EndpointHandler handler, bool prefix = false);

  // Binds and listens now, so that a bad address fails at startup and port()
  // is known before run(). Throws std::runtime_error naming the address.
  void listen();
  // The bound port (after listen()).
  int port() const;

  std::string name() const override;
  bool needsLeaderElection() const override { return false; }
  // Accepts connections until stop; calls listen() if not yet listening.
  void run(std::stop_token stop) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace landlord::kube
