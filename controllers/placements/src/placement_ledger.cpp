// A tenant's capacity for the placement engine: its Active leases' pools, less its Bound
// placements.
#include "landlord/controllers/placements/placement_ledger.h"

#include <algorithm>

#include "landlord/placement/lease.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

const api::Tenant* tenantOwning(const std::vector<api::Tenant>& tenants, const std::string& ns) {
  for (const api::Tenant& tenant : tenants) {
    if (api::listsNamespace(tenant, ns)) {
      return &tenant;
    }
  }
  return nullptr;
}

placement::TenantProfile profileOf(const api::Tenant& tenant) {
  return placement::TenantProfile{tenant.metadata.name, tenant.spec.qualifiedArchitectures};
}

std::vector<placement::LeasedPool> leasedPoolsOf(const std::string& tenant,
                                                 const std::vector<api::PoolLease>& leases,
                                                 const std::vector<api::GpuPool>& pools,
                                                 const placement::Catalog& catalog) {
  std::vector<placement::LeasedPool> out;
  for (const api::PoolLease& lease : leases) {
    if (lease.spec.tenant != tenant || lease.status.phase != "Active") {
      continue;
    }
    const std::string& poolName = lease.spec.pool;
    auto pool = std::find_if(pools.begin(), pools.end(),
                             [&](const api::GpuPool& p) { return p.metadata.name == poolName; });
    if (pool == pools.end()) {
      continue;
    }
    placement::LeasedPool leased;
    leased.pool = poolName;
    leased.lease = lease.metadata.name;
    leased.tenant = tenant;
    leased.purpose =
        placement::parseLeasePurpose(lease.spec.purpose).value_or(placement::LeasePurpose::Any);
    leased.homogeneous = pool->status.homogeneous.value_or(false);
    const std::string& negotiated = lease.spec.ratePerGPUHour;
    for (const api::ModelComposition& share :
         pool->status.composition.value_or(std::vector<api::ModelComposition>{})) {
      const auto model = catalog.findModel(share.model);
      if (!model) {
        continue;
      }
      const std::string& listed = share.ratePerGPUHour.empty() ? "0" : share.ratePerGPUHour;
      const std::string& rate = negotiated.empty() ? listed : negotiated;
      leased.models.push_back(
          placement::ModelCapacity{*model, share.gpus, 0, placement::Money::parse(rate)});
    }
    out.push_back(std::move(leased));
  }
  return out;
}

void reserveBound(placement::CapacityLedger& ledger, const std::vector<api::Placement>& placements,
                  const std::string& tenant, const std::string& except,
                  const placement::Catalog& catalog) {
  std::vector<const api::Placement*> bound;
  for (const api::Placement& p : placements) {
    if (p.metadata.key() != except && p.status.tenant == tenant && p.status.phase == "Bound") {
      bound.push_back(&p);
    }
  }
  for (const api::Placement* p : bound) {
    for (const api::PoolBinding& entry : p->status.pools) {
      const placement::LeasedPool* pool = ledger.find(entry.name);
      if (!pool) {
        continue;  // no longer the tenant's: the placement will be re-placed
      }
      std::int64_t left = entry.gpus;
      // Status records models per pool, not GPUs per model: spread in listed order.
      for (const std::string& modelName : entry.models) {
        const auto model = catalog.findModel(modelName);
        if (!model || left <= 0) {
          continue;
        }
        for (const placement::ModelCapacity& capacity : pool->models) {
          if (capacity.model == *model) {
            const std::int64_t take = std::min(left, capacity.freeGpus());
            if (take > 0) {
              ledger.reserve({placement::Allocation{pool->pool, *model, take}});
              left -= take;
            }
          }
        }
      }
    }
  }
}

}  // namespace landlord::controllers
