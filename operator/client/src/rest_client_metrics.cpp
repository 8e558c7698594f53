#include "landlord/operator/client/rest_client_metrics.h"

namespace landlord::kube {

RestClientMetrics::RestClientMetrics(metrics::Registry& registry)
    : requests_(registry.counter("rest_client_requests_total",
                                 "Number of HTTP requests, partitioned by status code, method, "
                                 "and host.",
                                 {"code", "method", "host"})),
      latency_(registry.histogram(
          "rest_client_request_duration_seconds",
          "Request latency in seconds. Broken down by verb, and host.", {"verb", "host"},
          {0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0})) {}

void RestClientMetrics::observe(const RequestObservation& observation) {
  const std::string code = observation.code == 0 ? "<error>" : std::to_string(observation.code);
  requests_.withLabels({code, observation.method, observation.host}).inc();
  latency_.withLabels({observation.method, observation.host}).observe(observation.latency.count());
}

}  // namespace landlord::kube
