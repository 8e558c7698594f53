#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

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

// A pool's composition summed from its nodes' facts, with nothing kept per node:
// the caller takes back exactly the facts it added, so one that holds its nodes
// anyway (the operator's pool index) pays nothing per node for the sums. The
// catalog must outlive the tally. Not synchronised.
class PoolTally {
 public:
  explicit PoolTally(const Catalog& catalog);

  // Throws std::invalid_argument for a negative GPU count.
  void add(const NodeFacts& node);
  // `node` must be facts added before and not yet subtracted.
  void subtract(const NodeFacts& node);

  const Composition& composition() const { return composition_; }
  // Products the catalog does not know, with their node and GPU counts.
  const std::map<std::string, ModelTally, std::less<>>& unknownProducts() const {
    return unknownProducts_;
  }

 private:
  const Catalog* catalog_;
  Composition composition_;
  std::map<std::string, ModelTally, std::less<>> unknownProducts_;
};

}  // namespace landlord::placement
