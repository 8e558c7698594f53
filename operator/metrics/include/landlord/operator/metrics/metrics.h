#pragma once

// The operator's metrics registry: prometheus-cpp's own, plus what it lacks,
// hooks that refresh computed values (the age of the oldest unfinished work
// item) just before each scrape. Families, counters, gauges and histograms are
// prometheus-cpp's types, built with prometheus::BuildCounter() and friends
// against this registry; /metrics is served by prometheus::Exposer.

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace landlord::kube::metrics {

class Registry;

// Unregisters a collect hook when destroyed.
class CollectHookRegistration {
 public:
  CollectHookRegistration() = default;
  CollectHookRegistration(Registry* registry, std::uint64_t id) : registry_(registry), id_(id) {}
  CollectHookRegistration(CollectHookRegistration&& other) noexcept;
  CollectHookRegistration& operator=(CollectHookRegistration&& other) noexcept;
  CollectHookRegistration(const CollectHookRegistration&) = delete;
  CollectHookRegistration& operator=(const CollectHookRegistration&) = delete;
  ~CollectHookRegistration();

 private:
  Registry* registry_ = nullptr;
  std::uint64_t id_ = 0;
};

class Registry final : public prometheus::Registry {
 public:
  // Registering a family name again returns the existing family
  // (prometheus-cpp's Merge), so every controller can ask for the shared
  // controller-runtime families.
  Registry();

  // `hook` runs at the start of every Collect(), i.e. every scrape.
  [[nodiscard]] CollectHookRegistration onCollect(std::function<void()> hook);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  friend class CollectHookRegistration;
  void removeCollectHook(std::uint64_t id);

  mutable std::mutex hooksMutex_;
  std::map<std::uint64_t, std::function<void()>> hooks_;  // guarded by hooksMutex_
  std::uint64_t nextHookId_ = 1;                          // guarded by hooksMutex_
};

// The Prometheus text exposition of everything `collectable` holds: what
// /metrics serves, for tests and tools.
std::string exposition(const prometheus::Collectable& collectable);

// Ascending bucket bounds start, start*factor, ... (count of them), as
// prometheus.ExponentialBuckets. Throws std::invalid_argument unless count >= 1,
// start > 0 and factor > 1.
prometheus::Histogram::BucketBoundaries exponentialBuckets(double start, double factor, int count);

}  // namespace landlord::kube::metrics
