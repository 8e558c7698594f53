#pragma once

// The runtime's metric families, under the names controller-runtime and
// client-go use, so that existing dashboards and alerts work unchanged.

#include <string>
#include <string_view>

#include "landlord/operator/client.h"
#include "landlord/operator/metrics.h"

namespace landlord::kube {

// workqueue_* families, labelled {name, controller} as controller-runtime does.
struct WorkQueueMetricFamilies {
  explicit WorkQueueMetricFamilies(metrics::Registry& registry);
  metrics::GaugeFamily& depth;
  metrics::CounterFamily& adds;
  metrics::HistogramFamily& queueDuration;
  metrics::HistogramFamily& workDuration;
  metrics::CounterFamily& retries;
  metrics::GaugeFamily& unfinishedWork;
  metrics::GaugeFamily& longestRunningProcessor;
};

// controller_runtime_* families, labelled {controller} (and {result}).
struct ControllerMetricFamilies {
  explicit ControllerMetricFamilies(metrics::Registry& registry);
  metrics::CounterFamily& reconcileTotal;
  metrics::CounterFamily& reconcileErrors;
  metrics::CounterFamily& reconcilePanics;
  metrics::HistogramFamily& reconcileTime;
  metrics::GaugeFamily& maxConcurrentReconciles;
  metrics::GaugeFamily& activeWorkers;
};

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

// Feeds leader_election_master_status{name}: 1 while leading, 0 otherwise.
class LeaderElectionMetrics final : public LeadershipObserver {
 public:
  explicit LeaderElectionMetrics(metrics::Registry& registry);
  void leadershipChanged(std::string_view electionName, bool leading) override;

 private:
  metrics::GaugeFamily& masterStatus_;
};

}  // namespace landlord::kube
