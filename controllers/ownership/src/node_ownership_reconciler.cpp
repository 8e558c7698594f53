// One node brought to its owner: at most one conditional write, and the evictions due.
#include "landlord/controllers/ownership/node_ownership_reconciler.h"

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/controllers/ownership/drain.h"
#include "landlord/controllers/ownership/node_marks.h"
#include "landlord/controllers/ownership/ownership_view.h"

namespace landlord::controllers {

namespace placement = landlord::placement;
using kube::Result;

namespace {

struct EvictionOutcome {
  std::size_t sent = 0;
  std::size_t blocked = 0;
  std::string blockedBy;  // the first refusal's message
};

// Through the Eviction API, so PodDisruptionBudgets are honoured; once a releasing
// lease's drain deadline passed under policy Force, deleted instead.
EvictionOutcome evict(kube::Client& client, const std::vector<placement::PodRef>& pods,
                      const PoolOwner& owner, bool force) {
  EvictionOutcome outcome;
  kube::DeleteOptions options;
  if (owner.lease) {
    options.gracePeriodSeconds = drainSettingsOf(*owner.lease).podGracePeriodSeconds;
  }
  for (const placement::PodRef& pod : pods) {
    try {
      if (force) {
        client.remove(kube::resources::pods(), pod.namespace_, pod.name, options);
      } else {
        kube::evictPod(client, pod.namespace_, pod.name, options);
      }
      ++outcome.sent;
    } catch (const kube::TooManyRequestsError& refused) {
      if (outcome.blocked++ == 0) {
        outcome.blockedBy =
            "evicting pod " + pod.namespace_ + "/" + pod.name + ": " + refused.what();
      }
    } catch (const kube::NotFoundError&) {
      // already gone
    }
  }
  return outcome;
}

}  // namespace

std::unique_ptr<kube::RateLimiter> nodeOwnershipRateLimiter() {
  using namespace std::chrono_literals;
  return std::make_unique<kube::ItemExponentialFailureRateLimiter>(5ms, 30s);
}

void NodeOwnershipReconciler::recordStanding(const std::string& node,
                                             const NodeJudgement& judgement, bool blocked) {
  NodeStanding standing = standingOf(judgement, blocked);
  if (standing.pool.empty()) {
    deps_.ownershipLedger.forget(node);
    return;
  }
  const std::string pool = standing.pool;
  const std::uint64_t owner = standing.owner;
  if (!deps_.ownershipLedger.record(node, std::move(standing)) || !progress_) {
    return;
  }
  const StandingCounts counts = deps_.ownershipLedger.counts(pool, owner);
  progress_(pool, counts.converged >= static_cast<std::int64_t>(deps_.poolIndex.memberCount(pool)));
}

Result NodeOwnershipReconciler::reconcile(kube::ReconcileContext& context,
                                          const kube::Request& request) {
  const auto node = deps_.nodes.get(request.name);
  if (!node) {
    deps_.evictionBlocks.clear(request.name);
    deps_.ownershipLedger.forget(request.name);
    return Result::success();
  }
  const OwnershipView view(deps_);
  const NodeJudgement judgement = view.judge(*node);
  const placement::OwnershipDecision& decision = judgement.decision;
  const std::string pool = judgement.desired.pool.value_or("");

  if (decision.write) {
    try {
      writeMarks(deps_.client, *node, *decision.write);
    } catch (const kube::ConflictError&) {
      // The cache was behind the node (or someone wrote it since): read it again.
      return Result::requeue();
    } catch (const kube::NotFoundError&) {
      return Result::success();
    }
    context.log.info("node {}: {} (pool {})", request.name,
                     judgement.desired.mode == placement::OwnerMode::Free ? "released"
                     : judgement.desired.mode == placement::OwnerMode::Hold
                         ? "held for the handover of " + judgement.desired.tenant
                     : decision.write->held() ? "held for " + judgement.desired.tenant
                                              : "given to " + judgement.desired.tenant,
                     pool.empty() ? "none" : pool);
  }

  EvictionOutcome evicted;
  if (!decision.evict.empty()) {
    const bool force = judgement.desired.mode == placement::OwnerMode::Hold &&
                       judgement.owner.lease &&
                       drainSettingsOf(*judgement.owner.lease).policy == DrainPolicy::Force &&
                       drainDeadlinePassed(*judgement.owner.lease, deps_.now());
    evicted = evict(deps_.client, decision.evict, judgement.owner, force);
    if (decision.foreignPods && deps_.events && !pool.empty()) {
      if (const auto cached = deps_.pools.get(pool)) {
        deps_.events->record(
            api::referenceTo(cached->value), kube::EventType::Warning, "ForeignPodsFound", "Evict",
            "node " + request.name + " of tenant " + judgement.desired.tenant + " runs " +
                std::to_string(decision.evict.size()) + " pods of other tenants: evicting them");
      }
    }
  }
  if (evicted.blocked > 0) {
    deps_.evictionBlocks.block(request.name, evicted.blockedBy);
  } else {
    deps_.evictionBlocks.clear(request.name);
  }
  recordStanding(request.name, judgement, evicted.blocked > 0);
  if (decision.leaving > 0) {
    return Result::requeueAfter(evicted.blocked > 0 ? kBlockedPoll : kEvictingPoll);
  }
  return Result::success();
}

}  // namespace landlord::controllers
