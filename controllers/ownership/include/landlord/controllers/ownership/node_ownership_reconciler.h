#pragma once

// The node ownership controller, keyed by node name: one level-triggered reconciler
// that brings every node to the owner it should have now (see ownership_view.h and
// placement/ownership.h), whatever changed the world: a handover, a node relabelled
// into or out of a pool, a selector edited, a pool, lease or tenant deleted, a
// restart. Each reconcile makes at most one write, to one node, guarded by the
// resourceVersion it was read at, and evicts the pods that must leave it. The
// controller's worker count bounds node writes in flight.

#include <functional>
#include <string>

#include "landlord/controllers/dependencies.h"
#include "landlord/operator/controller/reconciler.h"

namespace landlord::controllers {

class NodeOwnershipReconciler final : public kube::Reconciler {
 public:
  // Called with a node's pool after the node changed or settled, so the pool's
  // status and the lease holding it look again.
  using PoolProgress = std::function<void(const std::string& pool)>;

  explicit NodeOwnershipReconciler(Dependencies deps, PoolProgress progress = nullptr)
      : deps_(std::move(deps)), progress_(std::move(progress)) {}

  kube::Result reconcile(kube::ReconcileContext& context, const kube::Request& request) override;

  // How soon a node with pods still leaving looks again; longer when a
  // PodDisruptionBudget refused.
  static constexpr std::chrono::milliseconds kEvictingPoll{1000};
  static constexpr std::chrono::milliseconds kBlockedPoll{5000};

 private:
  Dependencies deps_;
  PoolProgress progress_;
};

}  // namespace landlord::controllers
