#pragma once

// A GPUPool's status from its members: the summary of their composition, the
// pool's figures (capacity, mix, efficiency, list price) and the status fields
// the GPUPool controller owns.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/controllers/nodes/pool_membership.h"
#include "landlord/placement/catalog.h"
#include "landlord/placement/pool_metrics.h"

namespace landlord::controllers {

// How many node names a status lists as examples.
inline constexpr std::size_t kExampleNodes = 5;

// Everything a pool's status is derived from: its members' composition and GPU
// products, the unknown products and the conflicting nodes as counts plus a few
// example names. summarize() walks a full membership; PoolIndex keeps the same
// summary current per node event.
struct PoolSummary {
  struct UnknownProduct {
    std::string product;
    std::int64_t nodes = 0;
    std::int64_t gpus = 0;
    std::vector<std::string> exampleNodes;  // the first by name
    bool operator==(const UnknownProduct&) const = default;
  };
  placement::Composition composition{0};
  std::map<std::string, std::set<std::string>> productsByModel;  // catalog model name -> products
  std::vector<UnknownProduct> unknownProducts;                   // sorted by product
  std::int64_t conflictingNodes = 0;
  std::vector<std::string> conflictingExamples;  // the first by name
  std::vector<std::string> conflictingPools;     // sorted, unique
  bool operator==(const PoolSummary&) const = default;
};

// O(members): the summary of a membership computed by walking every node.
PoolSummary summarize(const PoolMembership& membership, const placement::Catalog& catalog);

struct PoolFigures {
  placement::PoolMetrics metrics;
  std::vector<std::string> unknownPricingModels;  // spec.pricing models the catalog lacks
};

// The pool's figures from its summary and spec.pricing; O(catalog models).
PoolFigures computePoolFigures(const api::GpuPool& pool, const PoolSummary& summary,
                               const placement::Catalog& catalog);

// The pool's status: the existing status with the fields this controller owns
// (figures, conflicts, unknown products, phase, conditions) rewritten. The claim
// fields (lease, leaseGeneration, handover) belong to the lease controller and are
// kept as they are.
api::GpuPoolStatus buildPoolStatus(const api::GpuPool& pool, const PoolSummary& summary,
                                   const PoolFigures& figures, const std::string& now);

// "4.60", "2.5773": a decimal with at least 2 and at most 6 places, trailing zeros cut.
std::string decimalText(const placement::Money& money);

}  // namespace landlord::controllers
