#include "landlord/operator/healthz/health.h"

namespace landlord::kube {

HealthChecks::HealthChecks(std::string kind, Logger logger)
    : kind_(std::move(kind)), logger_(logger.withValues({{"endpoint", kind_}})) {}

void HealthChecks::add(std::string name, HealthCheck check) {
  std::lock_guard lock(mutex_);
  checks_.push_back({std::move(name), std::move(check)});
}

EndpointResponse HealthChecks::respond(const EndpointRequest& request) const {
  std::vector<Named> checks;
  {
    std::lock_guard lock(mutex_);
    checks = checks_;
  }
  const std::string base = "/" + kind_;
  if (request.path != base) {
    const std::string wanted = request.path.substr(base.size() + 1);
    for (const Named& named : checks) {
      if (named.name == wanted) {
        if (const auto failure = named.check()) {
          logger_.info("check {} failed: {}", named.name, *failure);
          return {500, "text/plain; charset=utf-8",
                  "internal server error: " + named.name + " failed\n"};
        }
        return {200, "text/plain; charset=utf-8", "ok"};
      }
    }
    return {404, "text/plain; charset=utf-8", "404 page not found\n"};
  }
  std::string report;
  bool healthy = true;
  for (const Named& named : checks) {
    if (const auto failure = named.check()) {
      healthy = false;
      logger_.info("check {} failed: {}", named.name, *failure);
      report += "[-]" + named.name + " failed: reason withheld\n";
    } else {
      report += "[+]" + named.name + " ok\n";
    }
  }
  if (!healthy) {
    return {500, "text/plain; charset=utf-8", report + kind_ + " check failed\n"};
  }
  if (request.query.count("verbose") > 0) {
    return {200, "text/plain; charset=utf-8", report + kind_ + " check passed\n"};
  }
  return {200, "text/plain; charset=utf-8", "ok"};
}

void HealthChecks::serveOn(EndpointServer& server) const {
  server.handle(
      "/" + kind_, [this](const EndpointRequest& request) { return respond(request); }, true);
}

}  // namespace landlord::kube
