#pragma once

// Registers landlord's caches and controllers with the manager: informers on Nodes,
// Pods and the four landlord.dev kinds (on every replica), and the GPUPool, Tenant,
// PoolLease, Placement and node ownership controllers (leader only, started once
// the caches synced).

#include <memory>
#include <string>
#include <vector>

#include "landlord/controllers/ownership/exemptions.h"
#include "landlord/operator/base/clock.h"
#include "landlord/operator/base/logging.h"
#include "landlord/operator/client/client.h"
#include "landlord/operator/manager/manager.h"
#include "landlord/operator/metrics/metrics.h"
#include "landlord/operator/webhook/admission.h"
#include "landlord/placement/catalog.h"

namespace landlord::controllers {

struct SetupOptions {
  const kube::Clock* clock = nullptr;           // not owned; required
  kube::metrics::Registry* registry = nullptr;  // not owned; no metrics when null
  std::string identity = "landlord-operator";   // reportingInstance of Events
  // Workers of the GPUPool, PoolLease and Tenant controllers
  // (--max-concurrent-reconciles); the Placement controller keeps one.
  int maxConcurrentReconciles = 1;
  // Node ownership reconciles in flight: each writes at most one node, so this
  // bounds node writes in flight.
  int nodeOwnershipWorkers = 8;
  // Pods node ownership never evicts nor counts as a tenant's.
  OwnershipExemptions exemptions;
  // The GPU models pools are measured and priced with (the operator's --catalog).
  placement::Catalog catalog = placement::Catalog::defaults();
};

// What setupControllers built; must outlive the manager's run().
class Controllers {
 public:
  virtual ~Controllers() = default;
  // Every cache has listed once (for readyz).
  virtual bool synced() const = 0;
  // The admission webhooks (landlord's policies) answering from these caches; valid
  // while this object lives.
  virtual std::vector<kube::AdmissionWebhook> admissionWebhooks() const = 0;
};

std::unique_ptr<Controllers> setupControllers(kube::Manager& manager, kube::Client& client,
                                              SetupOptions options, const kube::Logger& log);

}  // namespace landlord::controllers
