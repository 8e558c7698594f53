#include "landlord/controllers/nodes/pool_membership.h"

#include <algorithm>
#include <set>

#include "landlord/controllers/nodes/selector.h"
#include "landlord/placement/labels.h"

namespace landlord::controllers {

PoolMembership computeMembership(const std::string& pool, const std::vector<json>& pools,
                                 const std::vector<NodePtr>& nodes) {
  const json* own = nullptr;
  for (const json& candidate : pools) {
    if (stringAt(candidate, json::json_pointer("/metadata/name")) == pool) {
      own = &candidate;
    }
  }
  PoolMembership membership;
  std::set<std::string> otherPools;
  const json noSelector = json::object();
  const json& selector =
      own ? own->value(json::json_pointer("/spec/nodeSelector"), noSelector) : noSelector;
  for (const NodePtr& node : nodes) {
    const bool selected = selectorMatches(selector, node->value.labels);
    std::vector<std::string> others;
    if (selected) {
      for (const json& other : pools) {
        const std::string name = stringAt(other, json::json_pointer("/metadata/name"));
        if (name != pool && !other.contains(json::json_pointer("/metadata/deletionTimestamp")) &&
            selectorMatches(other.value(json::json_pointer("/spec/nodeSelector"), noSelector),
                            node->value.labels)) {
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
    auto label = node->value.labels.find(std::string(placement::kPoolLabel));
    if (label != node->value.labels.end() && label->second == pool) {
      membership.staleLabelled.push_back(node);
    }
  }
  auto byName = [](const NodePtr& a, const NodePtr& b) { return a->meta.name < b->meta.name; };
  std::sort(membership.members.begin(), membership.members.end(), byName);
  std::sort(membership.conflicting.begin(), membership.conflicting.end(), byName);
  std::sort(membership.staleLabelled.begin(), membership.staleLabelled.end(), byName);
  membership.conflictingPools.assign(otherPools.begin(), otherPools.end());
  return membership;
}

}  // namespace landlord::controllers
