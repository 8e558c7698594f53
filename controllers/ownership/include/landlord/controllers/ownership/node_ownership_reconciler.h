#pragma once

// The node ownership controller, keyed by node name: one level-triggered reconciler
// that brings every node to the owner it should have now (see ownership_view.h and
// placement/ownership.h), whatever changed the world: a handover, a node relabelled
// into or out of a pool, a selector edited, a pool, lease or tenant deleted, a
// restart. Each reconcile makes at most one write, to one node, guarded by the
// resourceVersion it was read at, and evicts the pods that must leave it. The
// controller's worker count bounds node writes in flight.

#include <functional>
#include <memory>
#include <string>

#include "landlord/controllers/dependencies.h"
#include "landlord/controllers/ownership/ownership_view.h"
#include "landlord/operator/controller/reconciler.h"
#include "landlord/operator/flowcontrol/rate_limiter.h"

namespace landlord::controllers {

class NodeOwnershipReconciler final : public kube::Reconciler {
 public:
  // Called with a node's pool when the node's standing in the ownership ledger
  // changed, so the pool's status and the lease holding it look again; `settled`
  // when, by the ledger, every member of the pool is now where its owner wants it
  // (what the lease waits for: worth looking at at once).
  using PoolProgress = std::function<void(const std::string& pool, bool settled)>;

  explicit NodeOwnershipReconciler(Dependencies deps, PoolProgress progress = nullptr)
      : deps_(std::move(deps)), progress_(std::move(progress)) {}

  kube::Result reconcile(kube::ReconcileContext& context, const kube::Request& request) override;

  // How soon a node with pods still leaving looks again; longer when a
  // PodDisruptionBudget refused.
  static constexpr std::chrono::milliseconds kEvictingPoll{1000};
  static constexpr std::chrono::milliseconds kBlockedPoll{5000};

 private:
  void recordStanding(const std::string& node, const NodeJudgement& judgement, bool blocked);

  Dependencies deps_;
  PoolProgress progress_;
};

// Per-node exponential backoff (5 ms doubling to 30 s) and no shared bucket. The
// default controller limiter's bucket (10 retries a second for the whole queue)
// is meant for a few objects: a fleet's nodes conflicting with the kubelets'
// status writes at once queued behind it for minutes, and a node waiting there is
// a node not yet tainted for its owner. The client's QPS limit bounds the load.
std::unique_ptr<kube::RateLimiter> nodeOwnershipRateLimiter();

}  // namespace landlord::controllers
