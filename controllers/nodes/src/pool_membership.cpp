// Pool membership by a full walk: selected by the pool's nodeSelector and by no other pool.
#include "landlord/controllers/nodes/pool_membership.h"

#include <algorithm>
#include <set>

#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/nodes/selector.h"

namespace landlord::controllers {

placement::NodeFacts factsOf(const kube::Cached<NodeInfo>& node) {
  return placement::NodeFacts{std::string(node.meta.name()), std::string(node.value.product()),
                              node.value.gpus, node.value.ready, node.value.unschedulable};
}

PoolMembership computeMembership(const std::string& pool, const std::vector<api::GpuPool>& pools,
                                 const std::vector<NodePtr>& nodes) {
  const api::GpuPool* own = nullptr;
  for (const api::GpuPool& candidate : pools) {
    if (candidate.metadata.name == pool) {
      own = &candidate;
    }
  }
  PoolMembership membership;
  std::set<std::string> otherPools;
  const api::LabelSelector noSelector;
  const api::LabelSelector& selector = own ? own->spec.nodeSelector : noSelector;
  for (const NodePtr& node : nodes) {
    const bool selected = selectorMatches(selector, node->value.labels);
    std::vector<std::string> others;
    if (selected) {
      for (const api::GpuPool& other : pools) {
        const std::string& name = other.metadata.name;
        if (name != pool && !other.metadata.deleting() &&
            selectorMatches(other.spec.nodeSelector, node->value.labels)) {
          others.push_back(name);
        }
      }
    }
    if (selected && others.empty()) {
      membership.members.push_back(node);
      continue;
    }
    if (selected) {
      membership.conflicting.push_back(node);
      otherPools.insert(others.begin(), others.end());
    }
    if (node->value.labels.get(api::kPoolLabel) == pool) {
      membership.staleLabelled.push_back(node);
    }
  }
  auto byName = [](const NodePtr& a, const NodePtr& b) { return a->meta.name() < b->meta.name(); };
  std::sort(membership.members.begin(), membership.members.end(), byName);
  std::sort(membership.conflicting.begin(), membership.conflicting.end(), byName);
  std::sort(membership.staleLabelled.begin(), membership.staleLabelled.end(), byName);
  membership.conflictingPools.assign(otherPools.begin(), otherPools.end());
  return membership;
}

}  // namespace landlord::controllers
