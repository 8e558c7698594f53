#pragma once

// The Placement controller: binds a tenant's request for GPUs to its leased pools.

#include "landlord/api/v1alpha1/placement.h"
#include "landlord/controllers/dependencies.h"
#include "landlord/operator/controller/reconciler.h"

namespace landlord::controllers {

// Binds a Placement to its tenant's leased pools with placement::place, records the
// pools and reserved GPUs, and re-places it when a bound pool is no longer its
// tenant's (after a handover); says why when it cannot, and retries.
class PlacementReconciler final : public kube::Reconciler {
 public:
  explicit PlacementReconciler(Dependencies deps) : deps_(std::move(deps)) {}
  kube::Result reconcile(kube::ReconcileContext& context, const kube::Request& request) override;

 private:
  void countPhases(const std::vector<api::Placement>& placements);
  Dependencies deps_;
};

}  // namespace landlord::controllers
