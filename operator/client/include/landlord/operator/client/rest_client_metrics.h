#pragma once

// Feeds client-go's rest_client_* metrics from the REST client's request
// observations, so that existing dashboards and alerts work unchanged.

#include "landlord/operator/client/client.h"
#include "landlord/operator/metrics/metrics.h"

namespace landlord::kube {

// Feeds rest_client_requests_total{code,method,host} and
// rest_client_request_duration_seconds{verb,host} from the REST client.
class RestClientMetrics final : public RequestObserver {
 public:
  explicit RestClientMetrics(metrics::Registry& registry);
  void observe(const RequestObservation& observation) override;

 private:
  metrics::CounterFamily& requests_;
  metrics::HistogramFamily& latency_;
};

}  // namespace landlord::kube
