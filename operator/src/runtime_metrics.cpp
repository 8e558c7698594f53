#include "landlord/operator/runtime_metrics.h"

#include <vector>

namespace landlord::kube {

namespace {

const std::vector<std::string> kQueueLabels = {"name", "controller"};

// prometheus.ExponentialBuckets(10e-9, 10, 12), as client-go's workqueue metrics.
std::vector<double> queueLatencyBuckets() {
  return metrics::exponentialBuckets(1e-8, 10, 12);
}

// controller-runtime's buckets for controller_runtime_reconcile_time_seconds.
std::vector<double> reconcileTimeBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1,  0.15, 0.2,  0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6,
          0.7,   0.8,  0.9,   1.0,  1.25, 1.5,  1.75, 2.0,  2.5, 3.0,  3.5, 4.0,  4.5, 5,
          6,     7,    8,     9,    10,   15,   20,   25,   30,  40,   50,  60};
}

}  // namespace

WorkQueueMetricFamilies::WorkQueueMetricFamilies(metrics::Registry& registry)
    : depth(registry.gauge("workqueue_depth", "Current depth of workqueue", kQueueLabels)),
      adds(registry.counter("workqueue_adds_total", "Total number of adds handled by workqueue",
                            kQueueLabels)),
      queueDuration(registry.histogram(
          "workqueue_queue_duration_seconds",
          "How long in seconds an item stays in workqueue before being requested", kQueueLabels,
          queueLatencyBuckets())),
      workDuration(registry.histogram("workqueue_work_duration_seconds",
                                      "How long in seconds processing an item from workqueue takes",
                                      kQueueLabels, queueLatencyBuckets())),
      retries(registry.counter("workqueue_retries_total",
                               "Total number of retries handled by workqueue", kQueueLabels)),
      unfinishedWork(registry.gauge(
          "workqueue_unfinished_work_seconds",
          "How many seconds of work has been done that is in progress and hasn't been observed "
          "by work_duration. Large values indicate stuck threads. One can deduce the number of "
          "stuck threads by observing the rate at which this increases.",
          kQueueLabels)),
      longestRunningProcessor(registry.gauge(
          "workqueue_longest_running_processor_seconds",
          "How many seconds has the longest running processor for workqueue been running.",
          kQueueLabels)) {}

ControllerMetricFamilies::ControllerMetricFamilies(metrics::Registry& registry)
    : reconcileTotal(registry.counter("controller_runtime_reconcile_total",
                                      "Total number of reconciliations per controller",
                                      {"controller", "result"})),
      reconcileErrors(registry.counter("controller_runtime_reconcile_errors_total",
                                       "Total number of reconciliation errors per controller",
                                       {"controller"})),
      reconcilePanics(registry.counter("controller_runtime_reconcile_panics_total",
                                       "Total number of reconciliation panics per controller",
                                       {"controller"})),
      reconcileTime(registry.histogram("controller_runtime_reconcile_time_seconds",
                                       "Length of time per reconciliation per controller",
                                       {"controller"}, reconcileTimeBuckets())),
      maxConcurrentReconciles(
          registry.gauge("controller_runtime_max_concurrent_reconciles",
                         "Maximum number of concurrent reconciles per controller", {"controller"})),
      activeWorkers(registry.gauge("controller_runtime_active_workers",
                                   "Number of currently used workers per controller",
                                   {"controller"})) {}

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

LeaderElectionMetrics::LeaderElectionMetrics(metrics::Registry& registry)
    : masterStatus_(registry.gauge("leader_election_master_status",
                                   "Gauge of if the reporting system is master of the relevant "
                                   "lease, 0 indicates backup, 1 indicates master. 'name' is the "
                                   "string used to identify the lease. Please make sure to group "
                                   "by name.",
                                   {"name"})) {}

void LeaderElectionMetrics::leadershipChanged(std::string_view electionName, bool leading) {
  masterStatus_.withLabels({std::string(electionName)}).set(leading ? 1.0 : 0.0);
}

}  // namespace landlord::kube
