// Who a node belongs to, and the one write plus the evictions that make it so.
#include "landlord/placement/ownership.h"

#include "landlord/placement/labels.h"

namespace landlord::placement {

namespace {

const std::string kNoSchedule(kTenantTaintEffect);

// The pods that must leave the node: of `tenant` when given, else of any tenant
// other than `owner`. Exempt and finished pods never count.
void collectLeaving(const std::vector<NodePod>& pods, const std::optional<std::string>& tenant,
                    const std::string& owner, OwnershipDecision& decision) {
  for (const NodePod& pod : pods) {
    if (pod.exempt || pod.finished || !pod.tenant) {
      continue;
    }
    const bool leaves = tenant ? *pod.tenant == *tenant : *pod.tenant != owner;
    if (!leaves) {
      continue;
    }
    ++decision.leaving;
    if (!pod.terminating) {
      decision.evict.push_back(pod.pod);
    }
  }
}

void hold(NodeMarks& target, const DesiredOwner& desired) {
  if (!target.held()) {
    target.holdTaints = {MarkTaint{desired.pool.value_or(""), kNoSchedule}};
  }
}

}  // namespace

bool NodeMarks::ownedBy(const std::string& owner) const {
  return tenant == owner && tenantTaints.size() == 1 && tenantTaints.front().value == owner &&
         tenantTaints.front().effect == kNoSchedule;
}

OwnershipDecision decideOwnership(const NodeMarks& observed, const DesiredOwner& desired,
                                  const std::vector<NodePod>& pods) {
  OwnershipDecision decision;
  NodeMarks target = observed;
  target.pool = desired.pool;
  target.gpuModel = desired.gpuModel;
  switch (desired.mode) {
    case OwnerMode::Free:
      target.tenant.reset();
      target.tenantTaints.clear();
      target.holdTaints.clear();
      break;
    case OwnerMode::Hold:
      hold(target, desired);
      collectLeaving(pods, desired.tenant, desired.tenant, decision);
      if (!desired.evict) {
        decision.evict.clear();  // its lease failed its drain: keep the node held, as it is
        decision.leaving = 0;
      }
      break;
    case OwnerMode::Own: {
      collectLeaving(pods, std::nullopt, desired.tenant, decision);
      decision.foreignPods = decision.leaving > 0;
      if (observed.ownedBy(desired.tenant) && !observed.held()) {
        break;  // its taint keeps new foreign pods off: evict the ones there, no hold
      }
      if (decision.leaving > 0) {
        hold(target, desired);
        break;
      }
      target.tenant = desired.tenant;
      target.tenantTaints = {MarkTaint{desired.tenant, kNoSchedule}};
      target.holdTaints.clear();
      break;
    }
  }
  if (target != observed) {
    decision.write = std::move(target);
    decision.state = NodeState::Writing;
  } else if (decision.leaving > 0) {
    decision.state = NodeState::Evicting;
  }
  return decision;
}

}  // namespace landlord::placement
