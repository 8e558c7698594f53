#pragma once

// landlord's own HTTP and HTTPS servers (health probes, admission webhooks),
// on Boost.Beast. Asynchronous: a slow, idle or hostile client holds a socket
// and a little memory, never a thread, so probes never wait behind it.
// - Every connection has an idle keep-alive timeout, every request a deadline
//   from its first byte to its last, and every answer a write deadline.
// - Headers and bodies over their limits are refused with 431 and 413 before
//   they are read; malformed requests get 400. Both close that connection
//   (the rest of its stream cannot be trusted) and the server serves on.
// - No fixed number of connection slots: past maxConnections, or when file
//   descriptors run out, a new connection closes the one idle the longest.
// - HTTPS is TLS 1.2 or later, HTTP/1.1 by ALPN, and re-reads its certificate
//   and key when the files change (a rotated Secret), without a restart.
// - Stopping closes idle connections at once and lets requests in flight
//   finish and be answered, up to shutdownTimeout.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "landlord/operator/base/logging.h"
#include "landlord/operator/base/runnable.h"

namespace landlord::kube {

struct EndpointRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // without the query
  std::map<std::string, std::string> query;    // decoded; "?verbose" gives {"verbose", ""}
  std::map<std::string, std::string> headers;  // names lowercased; repeats joined by ", "
  std::string body;
  // When the request's header had arrived: latencies count from here.
  std::chrono::steady_clock::time_point received;

  // A header's value by lowercase name, "" when absent.
  std::string header(const std::string& lowercaseName) const;
};

struct EndpointResponse {
  int status = 200;
  std::string contentType = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers = {};  // more, e.g. {"Allow", "POST"}
};

using EndpointHandler = std::function<EndpointResponse(const EndpointRequest&)>;

// Splits "host:port", ":port" (every interface) or "[v6]:port". Throws
// std::invalid_argument naming the address when it is malformed.
struct BindAddress {
  std::string host;  // empty: every interface
  int port = 0;
};
BindAddress parseBindAddress(const std::string& address);

// A serving certificate and key as files, e.g. a mounted kubernetes.io/tls
// Secret. A pair that does not load or match keeps the previous one serving.
struct TlsFiles {
  std::string certPath;  // PEM, leaf first, then intermediates
  std::string keyPath;   // PEM
  // How often, at most, new handshakes look at the files for a new pair.
  std::chrono::milliseconds checkInterval{1'000};
};

struct EndpointServerOptions {
  std::string name = "http";  // labels logs and errors: "health probe", "webhook"
  // "host:port", ":port" (every interface, both families) or "[v6]:port".
  std::string bindAddress;
  std::optional<TlsFiles> tls;  // HTTPS when set
  // The request line and headers; more is answered 431.
  std::size_t maxHeaderBytes = 16 * 1024;
  // A request body; a larger one is answered 413 before it is read.
  std::size_t maxBodyBytes = 64 * 1024;
  // The TLS handshake; one request, from its first byte to its last; writing
  // one answer. A request past its deadline is dropped, not answered.
  std::chrono::milliseconds requestTimeout{10'000};
  // How long a kept-alive connection may wait for its next request.
  std::chrono::milliseconds idleTimeout{120'000};
  // How long stopping waits for requests in flight before closing them.
  std::chrono::milliseconds shutdownTimeout{10'000};
  // Connections past this close the longest-idle one (not a limit on the
  // number served: a connection in the middle of a request is never closed).
  std::size_t maxConnections = 4096;
  // Threads serving connections; handlers run on them. When every one has
  // been inside a handler for longer than handlerStall (a handler waiting on
  // the API server, say), another joins, up to maxIoThreads.
  int ioThreads = 1;
  int maxIoThreads = 4;
  std::chrono::milliseconds handlerStall{20};
};

class EndpointServer final : public Runnable {
 public:
  // Plain HTTP on `bindAddress` with the default limits and timeouts; `name`
  // labels logs ("metrics", "health probe").
  EndpointServer(std::string name, std::string bindAddress, Logger logger);
  EndpointServer(EndpointServerOptions options, Logger logger);
  ~EndpointServer() override;
  EndpointServer(const EndpointServer&) = delete;
  EndpointServer& operator=(const EndpointServer&) = delete;

  // Serves `path` exactly; with `prefix`, also every path below "path/".
  // Other methods than `methods` are answered 405 with an Allow header.
  // Register before run(). Throws std::invalid_argument for a path not
  // starting with "/" or registered twice, or a missing handler.
  void handle(const std::string& path, EndpointHandler handler, bool prefix = false,
              std::vector<std::string> methods = {"GET", "HEAD"});

  // Binds and listens now (and loads the certificate, for HTTPS), so that a
  // bad address or certificate fails at startup and port() is known before
  // run(). Throws std::runtime_error naming the server, the address or file,
  // and the reason.
  void listen();
  // The bound port (after listen()).
  int port() const;

  std::string name() const override;
  bool needsLeaderElection() const override { return false; }
  // Serves until stop, then shuts down as described above. Calls listen() if
  // not yet listening.
  void run(std::stop_token stop) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace landlord::kube
