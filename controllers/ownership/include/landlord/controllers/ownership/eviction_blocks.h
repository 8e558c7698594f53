#pragma once

// The nodes whose last eviction a PodDisruptionBudget refused, and why, as the node
// ownership reconciler last saw: what a pool's status and a lease's drain report
// as blocked. Memory only: after a restart the next eviction attempt says it again.

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace landlord::controllers {

// Thread-safe (mutex_): node reconcile workers write, pool and lease reconciles read.
class EvictionBlocks {
 public:
  void block(const std::string& node, std::string reason);
  void clear(const std::string& node);
  std::optional<std::string> reasonFor(const std::string& node) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> reasons_;  // node -> reason; guarded by mutex_
};

}  // namespace landlord::controllers
