#pragma once

// The GPUPool controller: status current, and a finalizer that keeps a deleted
// pool until its nodes carry none of its marks.

#include "landlord/controllers/dependencies.h"
#include "landlord/operator/controller/reconciler.h"

namespace landlord::controllers {

// Keeps a GPUPool's status current: composition, GPUs, H100-equivalents, mix,
// efficiency, list rate, conflicts, unknown products, phase, and how many of its
// nodes carry what their owner should (status.ownership, condition NodesConverged).
// Writes only what changed. The node marks themselves (pool, gpu-model, tenant,
// hold) are the node ownership controller's. A pool carries the finalizer
// landlord.dev/release-nodes: once deleted, its nodes are nobody's, and the
// finalizer goes only when no node carries its pool label or a member any tenant
// mark or hold, so deleting a pool releases its nodes even with every webhook off.
class GpuPoolReconciler final : public kube::Reconciler {
 public:
  explicit GpuPoolReconciler(Dependencies deps) : deps_(std::move(deps)) {}
  kube::Result reconcile(kube::ReconcileContext& context, const kube::Request& request) override;

  // How soon a deleted pool with nodes still marked looks again.
  static constexpr std::chrono::seconds kReleasePoll{2};

 private:
  kube::Result finalize(kube::ReconcileContext& context, const api::GpuPool& pool);
  Dependencies deps_;
};

}  // namespace landlord::controllers
