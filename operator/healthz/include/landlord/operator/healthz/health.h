#pragma once

// Named liveness/readiness checks served as Kubernetes does: GET /healthz is
// "ok" when every check passes; "?verbose" lists each check ([+]name ok /
// [-]name failed); /healthz/<name> runs one check; a failure answers 500.

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "landlord/operator/server/http_server.h"

namespace landlord::kube {

// Returns nullopt when healthy, otherwise the reason (logged, not served).
using HealthCheck = std::function<std::optional<std::string>()>;

class HealthChecks {
 public:
  // `kind` is "healthz" or "readyz": it names the endpoint in the output.
  explicit HealthChecks(std::string kind, Logger logger);

  void add(std::string name, HealthCheck check);

  // Answers a request for /<kind> or /<kind>/<check>.
  EndpointResponse respond(const EndpointRequest& request) const;

  // Serves /<kind> and /<kind>/<check> on `server`. This object must outlive it.
  void serveOn(EndpointServer& server) const;

 private:
  struct Named {
    std::string name;
    HealthCheck check;
  };
  const std::string kind_;
  const Logger logger_;
  mutable std::mutex mutex_;
  std::vector<Named> checks_;  // guarded by mutex_
};

}  // namespace landlord::kube
