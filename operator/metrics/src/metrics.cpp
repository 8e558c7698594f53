// prometheus-cpp's registry with collect hooks (see metrics.h).
#include "landlord/operator/metrics/metrics.h"

#include <prometheus/text_serializer.h>

#include <stdexcept>
#include <utility>

namespace landlord::kube::metrics {

Registry::Registry() : prometheus::Registry(InsertBehavior::Merge) {}

CollectHookRegistration Registry::onCollect(std::function<void()> hook) {
  std::lock_guard lock(hooksMutex_);
  const std::uint64_t id = nextHookId_++;
  hooks_.emplace(id, std::move(hook));
  return CollectHookRegistration(this, id);
}

void Registry::removeCollectHook(std::uint64_t id) {
  std::lock_guard lock(hooksMutex_);
  hooks_.erase(id);
}

std::vector<prometheus::MetricFamily> Registry::Collect() const {
  {
    std::lock_guard lock(hooksMutex_);
    for (const auto& [id, hook] : hooks_) {
      hook();
    }
  }
  return prometheus::Registry::Collect();
}

std::string exposition(const prometheus::Collectable& collectable) {
  return prometheus::TextSerializer().Serialize(collectable.Collect());
}

prometheus::Histogram::BucketBoundaries exponentialBuckets(double start, double factor, int count) {
  if (count < 1 || start <= 0 || factor <= 1) {
    throw std::invalid_argument("exponentialBuckets needs count >= 1, start > 0 and factor > 1");
  }
  prometheus::Histogram::BucketBoundaries buckets;
  buckets.reserve(static_cast<std::size_t>(count));
  double bound = start;
  for (int i = 0; i < count; ++i) {
    buckets.push_back(bound);
    bound *= factor;
  }
  return buckets;
}

CollectHookRegistration::CollectHookRegistration(CollectHookRegistration&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)), id_(other.id_) {}

CollectHookRegistration& CollectHookRegistration::operator=(
    CollectHookRegistration&& other) noexcept {
  if (this != &other) {
    if (registry_ != nullptr) {
      registry_->removeCollectHook(id_);
    }
    registry_ = std::exchange(other.registry_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

CollectHookRegistration::~CollectHookRegistration() {
  if (registry_ != nullptr) {
    registry_->removeCollectHook(id_);
  }
}

}  // namespace landlord::kube::metrics
