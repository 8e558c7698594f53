#include "landlord/operator/controller/controller_metrics.h"

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

}  // namespace landlord::kube
