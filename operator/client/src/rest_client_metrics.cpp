#include "landlord/operator/client/rest_client_metrics.h"

namespace landlord::kube {

namespace {

// client-go's buckets for rest_client_request_duration_seconds.
const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {
    0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0};

}  // namespace

RestClientMetrics::RestClientMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("rest_client_requests_total")
                    .Help("Number of HTTP requests, partitioned by status code, method, and host.")
                    .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("rest_client_request_duration_seconds")
                   .Help("Request latency in seconds. Broken down by verb, and host.")
                   .Register(registry)) {}

void RestClientMetrics::observe(const RequestObservation& observation) {
  const std::string code = observation.code == 0 ? "<error>" : std::to_string(observation.code);
  requests_.Add({{"code", code}, {"method", observation.method}, {"host", observation.host}})
      .Increment();
  latency_.Add({{"verb", observation.method}, {"host", observation.host}}, kLatencyBuckets)
      .Observe(observation.latency.count());
}

}  // namespace landlord::kube
