#pragma once

// The GPUPool controller: member nodes labelled, status current.

#include "landlord/controllers/dependencies.h"
#include "landlord/operator/controller/reconciler.h"

namespace landlord::controllers {

// Keeps a GPUPool's member nodes labelled (landlord.dev/pool, landlord.dev/gpu-model)
// and its status current: composition, GPUs, H100-equivalents, mix, efficiency,
// list rate, conflicts, unknown products, phase. Writes only what changed. Reads the
// pool from the cache and its membership from the PoolIndex: a reconcile costs
// O(catalog models + nodes whose labels are wrong), not O(nodes). Once the pool is
// gone from the cache, takes both labels back from the nodes still carrying its name
// (no finalizer: node events and the pool's deletion enqueue such names).
class GpuPoolReconciler final : public kube::Reconciler {
 public:
  explicit GpuPoolReconciler(Dependencies deps) : deps_(std::move(deps)) {}
  kube::Result reconcile(kube::ReconcileContext& context, const kube::Request& request) override;

 private:
  std::size_t labelNodes(const std::string& pool, const PoolLabelWork& work);
  kube::Result unlabelDeletedPool(kube::ReconcileContext& context, const std::string& pool);
  Dependencies deps_;
};

}  // namespace landlord::controllers
