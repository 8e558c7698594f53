// Who each node should belong to now, and how far a pool's nodes are from it.
#include "landlord/controllers/ownership/ownership_view.h"

#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/controllers/ownership/node_marks.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

namespace {

constexpr std::size_t kExampleReasons = 5;

// Held: carrying the hold, or converged on it (OwnershipTally::held, NodeStanding::held).
bool heldUnder(const NodeJudgement& judgement, bool converged) {
  return judgement.owner.mode == placement::OwnerMode::Hold &&
         (converged || judgement.observed.held());
}

}  // namespace

OwnershipView::OwnershipView(const Dependencies& deps) : deps_(deps) {
  for (const auto& tenant : deps_.tenants.list()) {
    if (tenant->value.metadata.deleting()) {
      continue;  // its pods are nobody's: a tenant on its way out owns nothing
    }
    for (const std::string& ns : tenant->value.spec.namespaces) {
      tenantOfNamespace_.emplace(ns, tenant->value.metadata.name);
    }
  }
}

PoolOwner OwnershipView::ownerOf(const api::GpuPool& pool) const {
  PoolOwner owner;
  const std::optional<Claim> claim = claimOf(pool);
  if (pool.metadata.deleting() || !claim) {
    return owner;
  }
  const auto lease = deps_.leases.get(claim->lease);
  if (!lease || lease->meta.uid() != claim->uid) {
    return owner;  // a claim of a lease gone (or not yet seen): nobody's until it is
  }
  const api::PoolLease& holder = lease->value;
  const PhaseOwnership byPhase = ownershipOfPhase(holder.status.phase);
  const auto tenant = deps_.tenants.get(holder.spec.tenant);
  if (byPhase.mode == placement::OwnerMode::Free || !tenant || tenant->value.metadata.deleting()) {
    return owner;
  }
  owner.tenant = holder.spec.tenant;
  owner.lease = holder;
  owner.mode = byPhase.mode;
  owner.evict = byPhase.evict;
  return owner;
}

PhaseOwnership ownershipOfPhase(const std::string& phase) {
  if (phase == "Released") {
    return {placement::OwnerMode::Free, true};
  }
  if (phase == "Releasing") {
    return {placement::OwnerMode::Hold, true};
  }
  if (phase == "Failed") {
    // The nodes stay held, and the pods that would not leave stay, until someone
    // relaxes the policy or deletes the lease.
    return {placement::OwnerMode::Hold, false};
  }
  return {placement::OwnerMode::Own, true};
}

std::optional<std::string> OwnershipView::gpuModelOf(const NodeInfo& node) const {
  if (const auto model = deps_.catalog.findProduct(node.product())) {
    return deps_.catalog.model(*model).name;
  }
  return std::nullopt;
}

std::vector<placement::NodePod> OwnershipView::podsOn(const std::string& node) const {
  std::vector<placement::NodePod> out;
  for (const auto& pod : deps_.pods.byIndex(kPodNodeIndex, node)) {
    placement::NodePod entry;
    entry.pod = placement::PodRef{std::string(pod->meta.ns()), std::string(pod->meta.name())};
    if (const auto owner = tenantOfNamespace_.find(pod->meta.ns());
        owner != tenantOfNamespace_.end()) {
      entry.tenant = owner->second;
    }
    entry.exempt = deps_.exemptions.exempts(pod->meta.ns(), pod->value);
    entry.finished = pod->value.phase == "Succeeded" || pod->value.phase == "Failed";
    entry.terminating = pod->value.terminating;
    out.push_back(std::move(entry));
  }
  return out;
}

NodeJudgement OwnershipView::judgeAs(const kube::Cached<NodeInfo>& node, const std::string& pool,
                                     const PoolOwner& owner) const {
  NodeJudgement judgement;
  judgement.owner = owner;
  judgement.desired.pool = pool;
  judgement.desired.gpuModel = gpuModelOf(node.value);
  judgement.desired.mode = owner.mode;
  judgement.desired.tenant = owner.tenant;
  judgement.desired.evict = owner.evict;
  judgement.observed = marksOf(node.value);
  judgement.decision = placement::decideOwnership(judgement.observed, judgement.desired,
                                                  podsOn(std::string(node.meta.name())));
  return judgement;
}

NodeJudgement OwnershipView::judge(const kube::Cached<NodeInfo>& node) const {
  const std::optional<std::string> pool = deps_.poolIndex.poolOf(node.meta.name());
  const auto cached = pool ? deps_.pools.get(*pool) : nullptr;
  if (!cached || cached->value.metadata.deleting()) {
    NodeJudgement judgement;
    judgement.observed = marksOf(node.value);
    judgement.decision = placement::decideOwnership(judgement.observed, judgement.desired,
                                                    podsOn(std::string(node.meta.name())));
    return judgement;
  }
  return judgeAs(node, *pool, ownerOf(cached->value));
}

std::uint64_t ownerKeyOf(const PoolOwner& owner) {
  std::string key;
  key += static_cast<char>('0' + static_cast<int>(owner.mode));
  key += owner.evict ? 'e' : 'k';
  key += owner.tenant;
  key += '\0';
  if (owner.lease) {
    key += owner.lease->metadata.uid;
  }
  return std::hash<std::string>{}(key);
}

NodeStanding standingOf(const NodeJudgement& judgement, bool blocked) {
  const placement::OwnershipDecision& decision = judgement.decision;
  NodeStanding standing;
  standing.pool = judgement.desired.pool.value_or("");
  standing.owner = ownerKeyOf(judgement.owner);
  standing.converged = decision.state == placement::NodeState::Converged;
  standing.held = heldUnder(judgement, standing.converged);
  standing.blocked = blocked && decision.leaving > 0;
  standing.podsLeaving = static_cast<std::int64_t>(decision.leaving);
  return standing;
}

OwnershipTally OwnershipView::tally(const std::string& pool, const PoolOwner& owner) const {
  const auto members = static_cast<std::int64_t>(deps_.poolIndex.memberCount(pool));
  const StandingCounts counts = deps_.ownershipLedger.counts(pool, ownerKeyOf(owner));
  if (counts.converged >= members || counts.blocked > 0) {
    return walk(pool, owner);
  }
  OwnershipTally tally;
  tally.members = members;
  tally.converged = counts.converged;
  tally.held = counts.held;
  tally.podsLeaving = counts.podsLeaving;
  return tally;
}

OwnershipTally OwnershipView::walk(const std::string& pool, const PoolOwner& owner) const {
  OwnershipTally tally;
  for (const NodePtr& node : deps_.poolIndex.members(pool)) {
    const NodeJudgement judgement = judgeAs(*node, pool, owner);
    const placement::OwnershipDecision& decision = judgement.decision;
    ++tally.members;
    tally.podsLeaving += static_cast<std::int64_t>(decision.leaving);
    const bool converged = decision.state == placement::NodeState::Converged;
    tally.converged += converged ? 1 : 0;
    tally.held += heldUnder(judgement, converged) ? 1 : 0;
    if (decision.leaving > 0) {
      if (auto reason = deps_.evictionBlocks.reasonFor(std::string(node->meta.name()))) {
        ++tally.blocked;
        if (tally.reasons.size() < kExampleReasons) {
          tally.reasons.push_back("node " + std::string(node->meta.name()) + ": " + *reason);
        }
      }
    }
  }
  return tally;
}

}  // namespace landlord::controllers
