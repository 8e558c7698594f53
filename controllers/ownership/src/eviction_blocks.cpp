// The nodes whose pods a PodDisruptionBudget keeps from leaving, and why.
#include "landlord/controllers/ownership/eviction_blocks.h"

namespace landlord::controllers {

void EvictionBlocks::block(const std::string& node, std::string reason) {
  std::lock_guard lock(mutex_);
  reasons_[node] = std::move(reason);
}

void EvictionBlocks::clear(const std::string& node) {
  std::lock_guard lock(mutex_);
  reasons_.erase(node);
}

std::optional<std::string> EvictionBlocks::reasonFor(const std::string& node) const {
  std::lock_guard lock(mutex_);
  const auto it = reasons_.find(node);
  return it == reasons_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

}  // namespace landlord::controllers
