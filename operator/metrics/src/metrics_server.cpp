// /metrics through prometheus-cpp's Exposer (see metrics_server.h).
#include "landlord/operator/metrics/metrics_server.h"

#include <prometheus/exposer.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace landlord::kube::metrics {

namespace {

// Scrapes are served by a few threads; a client that stalls mid-request is
// dropped after this, so it cannot hold one for long.
constexpr const char* kThreads = "4";
constexpr const char* kRequestTimeoutMs = "10000";

// civetweb's spelling of the address: "+8080" is both families on every
// interface, "8080" IPv4 only, "[::1]:8080" one IPv6 address.
std::vector<std::string> civetwebPorts(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) {
    throw std::runtime_error("metrics server: bind address \"" + address +
                             "\" must be host:port or :port");
  }
  const std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error("metrics server: bind address \"" + address +
                             "\" has an invalid port");
  }
  if (host.empty()) {
    return {"+" + port, port};  // without IPv6, the IPv4 wildcard
  }
  return {host.front() != '[' && host.find(':') != std::string::npos ? "[" + host + "]:" + port
                                                                     : host + ":" + port};
}

}  // namespace

MetricsServer::MetricsServer(std::string bindAddress, std::shared_ptr<Registry> registry,
                             Logger logger)
    : bindAddress_(std::move(bindAddress)),
      registry_(std::move(registry)),
      logger_(logger.withValues({{"server", "metrics"}, {"address", bindAddress_}})) {}

MetricsServer::~MetricsServer() = default;

void MetricsServer::listen() {
  if (exposer_) {
    return;
  }
  std::string lastError;
  for (const std::string& ports : civetwebPorts(bindAddress_)) {
    try {
      exposer_ = std::make_unique<prometheus::Exposer>(
          std::vector<std::string>{"listening_ports", ports, "num_threads", kThreads,
                                   "request_timeout_ms", kRequestTimeoutMs});
      break;
    } catch (const std::exception& e) {
      lastError = e.what();
    }
  }
  if (!exposer_) {
    throw std::runtime_error("metrics server: cannot listen on " + bindAddress_ + ": " + lastError);
  }
  exposer_->RegisterCollectable(registry_);
  logger_.withValues({{"port", std::to_string(port())}})
      .info("serving /metrics on port {}", port());
}

int MetricsServer::port() const {
  if (!exposer_) {
    return 0;
  }
  const std::vector<int> ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

void MetricsServer::run(std::stop_token stop) {
  listen();
  std::mutex mutex;
  std::condition_variable_any stopped;
  std::unique_lock lock(mutex);
  stopped.wait(lock, stop, [] { return false; });
  exposer_.reset();
  logger_.info("stopped");
}

}  // namespace landlord::kube::metrics
