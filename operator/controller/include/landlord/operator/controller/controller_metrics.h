#pragma once

// The work queue's and controller's metric families, under the names
// controller-runtime and client-go use, so that existing dashboards and alerts
// work unchanged.

#include <string>
#include <string_view>

#include "landlord/operator/metrics/metrics.h"

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

}  // namespace landlord::kube
