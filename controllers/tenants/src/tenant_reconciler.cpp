// The Tenant controller: its leases, and over the Active ones its GPUs and spend.
#include "landlord/controllers/tenants/tenant_reconciler.h"

#include "landlord/api/v1alpha1/client.h"
#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/pools/pool_status.h"
#include "landlord/placement/money.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

kube::Result TenantReconciler::reconcile(kube::ReconcileContext& context,
                                         const kube::Request& request) {
  api::Tenant tenant;
  try {
    tenant = api::get<api::Tenant>(deps_.client, "", request.name);
  } catch (const kube::NotFoundError&) {
    return kube::Result::success();
  }
  reportInvalid(deps_, tenant, context.log);
  std::vector<api::TenantLease> leases;
  std::int64_t active = 0;
  std::int64_t gpus = 0;
  placement::Money hourly;
  for (const api::PoolLease& lease : api::list<api::PoolLease>(deps_.client)) {
    if (lease.spec.tenant != request.name) {
      continue;
    }
    const std::string& phase = lease.status.phase;
    const std::string& rate = lease.status.hourlyRate;
    const std::int64_t leaseGpus = lease.status.gpus.value_or(0);
    leases.push_back(api::TenantLease{.name = lease.metadata.name,
                                      .pool = lease.spec.pool,
                                      .phase = phase.empty() ? "Pending" : phase,
                                      .purpose = lease.spec.purpose,
                                      .gpus = leaseGpus,
                                      .hourlyRate = rate});
    if (phase == "Active") {
      ++active;
      gpus += leaseGpus;
      hourly += placement::Money::parse(rate.empty() ? "0" : rate);
    }
  }
  api::TenantStatus status = tenant.status;
  const std::int64_t generation = tenant.metadata.generation;
  status.observedGeneration = generation;
  status.leases = std::move(leases);
  status.activeLeases = active;
  status.gpus = gpus;
  status.hourlySpend = decimalText(hourly);
  status.annualisedSpend = decimalText(hourly.times(placement::kHoursPerYear));
  api::setCondition(status.conditions,
                    {api::kReadyCondition, "True", "Observed",
                     std::to_string(active) + " active leases, " + std::to_string(gpus) + " GPUs"},
                    generation, kube::formatTime(deps_.now()));
  api::writeStatus(deps_.client, tenant, status);
  return kube::Result::success();
}

}  // namespace landlord::controllers
