#pragma once

// Which nodes belong to a pool, computed by walking every node: the definition
// the PoolIndex keeps current per event (and is tested against).

#include <string>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/controllers/projections/node.h"
#include "landlord/operator/cache/informer.h"
#include "landlord/placement/pool_tally.h"

namespace landlord::controllers {

using NodePtr = kube::Lister<NodeInfo>::Ptr;

// What a pool's composition counts of a cached node.
placement::NodeFacts factsOf(const kube::Cached<NodeInfo>& node);

// Which nodes belong to one pool: selected by its spec.nodeSelector and by no other
// pool. Nodes selected by several pools belong to none and are reported.
struct PoolMembership {
  std::vector<NodePtr> members;               // sorted by name
  std::vector<NodePtr> conflicting;           // selected by this pool and another
  std::vector<std::string> conflictingPools;  // the other pools, sorted, unique
  std::vector<NodePtr> staleLabelled;         // labelled landlord.dev/pool=<pool>, not members
};

// `pool` is one of `pools` by name.
PoolMembership computeMembership(const std::string& pool, const std::vector<api::GpuPool>& pools,
                                 const std::vector<NodePtr>& nodes);

}  // namespace landlord::controllers
