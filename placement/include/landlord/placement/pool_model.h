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
#include "landlord/placement/pool_tally.h"

namespace landlord::placement {

// A pool's composition kept current from node events by name: add, update and
// delete are O(1) (a hash lookup and a per-model counter update), so a
// 30,000-node pool is never recomputed per event. It keeps each node's facts to
// take them back; a caller that has them already uses a PoolTally. The catalog
// must outlive the model. Not synchronised: one owner updates and reads it.
class PoolModel {
 public:
  explicit PoolModel(const Catalog& catalog);

  // Adds the node or replaces what was known about it. Throws std::invalid_argument
  // for an empty name or a negative GPU count.
  void upsert(const NodeFacts& node);
  // Returns false when the node was not in the pool.
  bool remove(std::string_view nodeName);

  const Composition& composition() const { return tally_.composition(); }
  std::size_t nodeCount() const { return nodes_.size(); }
  bool contains(std::string_view nodeName) const;
  // Products the catalog does not know, with their node and GPU counts.
  const std::map<std::string, ModelTally, std::less<>>& unknownProducts() const {
    return tally_.unknownProducts();
  }

 private:
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const noexcept {
      return std::hash<std::string_view>{}(name);
    }
  };

  PoolTally tally_;
  // Each node's facts as added to tally_, its name left empty (the key holds it).
  std::unordered_map<std::string, NodeFacts, NameHash, std::equal_to<>> nodes_;
};

}  // namespace landlord::placement
