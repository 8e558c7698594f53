#pragma once

// The work queue's and controller's metric families, under the names
// controller-runtime and client-go use, so that existing dashboards and alerts
// work unchanged.

#include "landlord/operator/metrics/metrics.h"

namespace landlord::kube {

// workqueue_* families; children are labelled {name, controller} as
// controller-runtime does.
struct WorkQueueMetricFamilies {
  explicit WorkQueueMetricFamilies(prometheus::Registry& registry);
  prometheus::Family<prometheus::Gauge>& depth;
  prometheus::Family<prometheus::Counter>& adds;
  prometheus::Family<prometheus::Histogram>& queueDuration;  // queueLatencyBuckets()
  prometheus::Family<prometheus::Histogram>& workDuration;   // queueLatencyBuckets()
  prometheus::Family<prometheus::Counter>& retries;
  prometheus::Family<prometheus::Gauge>& unfinishedWork;
  prometheus::Family<prometheus::Gauge>& longestRunningProcessor;
};

// prometheus.ExponentialBuckets(10e-9, 10, 12), as client-go's workqueue metrics.
prometheus::Histogram::BucketBoundaries queueLatencyBuckets();

// controller_runtime_* families; children are labelled {controller} (and
// {result}).
struct ControllerMetricFamilies {
  explicit ControllerMetricFamilies(prometheus::Registry& registry);
  prometheus::Family<prometheus::Counter>& reconcileTotal;
  prometheus::Family<prometheus::Counter>& reconcileErrors;
  prometheus::Family<prometheus::Counter>& reconcilePanics;
  prometheus::Family<prometheus::Histogram>& reconcileTime;  // reconcileTimeBuckets()
  prometheus::Family<prometheus::Gauge>& maxConcurrentReconciles;
  prometheus::Family<prometheus::Gauge>& activeWorkers;
};

// controller-runtime's buckets for controller_runtime_reconcile_time_seconds.
prometheus::Histogram::BucketBoundaries reconcileTimeBuckets();

}  // namespace landlord::kube
