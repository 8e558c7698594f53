#pragma once

#include <string>
#include <vector>

#include "landlord/controllers/api.h"
#include "landlord/operator/cache/informer.h"

namespace landlord::controllers {

using NodePtr = kube::Lister<NodeInfo>::Ptr;

// Which nodes belong to one pool: selected by its spec.nodeSelector and by no other
// pool. Nodes selected by several pools belong to none and are reported.
struct PoolMembership {
  std::vector<NodePtr> members;               // sorted by name
  std::vector<NodePtr> conflicting;           // selected by this pool and another
  std::vector<std::string> conflictingPools;  // the other pools, sorted, unique
  std::vector<NodePtr> staleLabelled;         // labelled landlord.dev/pool=<pool>, not members
};

// `pools` are GPUPool objects (JSON); `pool` is one of them by name.
PoolMembership computeMembership(const std::string& pool, const std::vector<json>& pools,
                                 const std::vector<NodePtr>& nodes);

}  // namespace landlord::controllers
