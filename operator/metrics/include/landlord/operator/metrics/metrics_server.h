#pragma once

// Serves a registry at /metrics the way prometheus-cpp does, with its
// Exposer (civetweb underneath), as a Runnable the manager starts and stops.

#include <memory>
#include <stop_token>
#include <string>

#include "landlord/operator/base/logging.h"
#include "landlord/operator/base/runnable.h"
#include "landlord/operator/metrics/metrics.h"

namespace prometheus {
class Exposer;
}

namespace landlord::kube::metrics {

class MetricsServer final : public Runnable {
 public:
  // `bindAddress` as the flag takes it: "host:port", ":port" (every
  // interface, both families where there is IPv6) or "[v6]:port".
  MetricsServer(std::string bindAddress, std::shared_ptr<Registry> registry, Logger logger);
  ~MetricsServer() override;

  // Binds now, so that a bad address fails at startup and port() is known
  // before run(). Throws std::runtime_error naming the address and the reason.
  void listen();
  // The bound port (after listen()).
  int port() const;

  std::string name() const override { return "metrics"; }
  bool needsLeaderElection() const override { return false; }
  // Serves until stop. Calls listen() if not yet listening.
  void run(std::stop_token stop) override;

 private:
  const std::string bindAddress_;
  const std::shared_ptr<Registry> registry_;
  const Logger logger_;
  std::unique_ptr<prometheus::Exposer> exposer_;  // set by listen()
};

}  // namespace landlord::kube::metrics
