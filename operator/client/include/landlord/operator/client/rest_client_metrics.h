#pragma once

// Feeds client-go's rest_client_* metrics from the REST client's request
// observations, so that existing dashboards and alerts work unchanged.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "landlord/operator/client/client.h"

namespace landlord::kube {

// Feeds rest_client_requests_total{code,method,host} and
// rest_client_request_duration_seconds{verb,host} from the REST client.
class RestClientMetrics final : public RequestObserver {
 public:
  explicit RestClientMetrics(prometheus::Registry& registry);
  void observe(const RequestObservation& observation) override;

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
};

}  // namespace landlord::kube
