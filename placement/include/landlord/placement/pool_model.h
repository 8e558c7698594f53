#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "landlord/placement/catalog.h"
#include "landlord/placement/composition.h"

namespace landlord::placement {

// What landlord reads from one node (GPU Feature Discovery labels, node status).
struct NodeFacts {
  std::string name;
  std::string product;    // nvidia.com/gpu.product
  std::int64_t gpus = 0;  // capacity nvidia.com/gpu
  bool ready = true;
  bool unschedulable = false;  // cordoned
};

// A pool's composition kept current from node events: add, update and delete are
// O(1) (a hash lookup and a per-model counter update), so a 30,000-node pool is
// never recomputed per event. The catalog must outlive the model. Not synchronised:
// one owner (e.g. the informer's event handler) updates and reads it.
class PoolModel {
 public:
  explicit PoolModel(const Catalog& catalog);

  // Adds the node or replaces what was known about it. Throws std::invalid_argument
  // for an empty name or a negative GPU count.
  void upsert(const NodeFacts& node);
  // Returns false when the node was not in the pool.
  bool remove(std::string_view nodeName);

  const Composition& composition() const { return composition_; }
  std::size_t nodeCount() const { return nodes_.size(); }
  bool contains(std::string_view nodeName) const;
  // Products the catalog does not know, with their node and GPU counts.
  const std::map<std::string, ModelTally, std::less<>>& unknownProducts() const {
    return unknownProducts_;
  }

 private:
  struct Contribution {
    std::optional<ModelId> model;  // nullopt: unknown product, named below
    std::string unknownProduct;
    ModelTally tally;
  };

  void add(const Contribution& contribution);
  void subtract(const Contribution& contribution);

  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const noexcept {
      return std::hash<std::string_view>{}(name);
    }
  };

  const Catalog* catalog_;
  Composition composition_;
  std::unordered_map<std::string, Contribution, NameHash, std::equal_to<>> nodes_;
  std::map<std::string, ModelTally, std::less<>> unknownProducts_;
};

}  // namespace landlord::placement
