#pragma once

// The Tenant controller: what a tenant leases and spends.

#include "landlord/controllers/dependencies.h"
#include "landlord/operator/controller/reconciler.h"

namespace landlord::controllers {

// A Tenant's status: its leases (any phase), and over the Active ones the GPUs held
// and the hourly and annualised spend.
class TenantReconciler final : public kube::Reconciler {
 public:
  explicit TenantReconciler(Dependencies deps) : deps_(std::move(deps)) {}
  kube::Result reconcile(kube::ReconcileContext& context, const kube::Request& request) override;

 private:
  Dependencies deps_;
};

}  // namespace landlord::controllers
