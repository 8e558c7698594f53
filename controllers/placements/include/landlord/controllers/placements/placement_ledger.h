#pragma once

// Builds the placement engine's view of a tenant's capacity from the cluster: its
// Active leases and their pools' status, less what its other Bound placements hold.

#include <string>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/placement.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/tenant.h"
#include "landlord/placement/catalog.h"
#include "landlord/placement/placement.h"

namespace landlord::controllers {

// The tenant owning a namespace (the first listing it), or null.
const api::Tenant* tenantOwning(const std::vector<api::Tenant>& tenants, const std::string& ns);

placement::TenantProfile profileOf(const api::Tenant& tenant);

// A pool held by one of the tenant's Active leases, from the pool's status.
std::vector<placement::LeasedPool> leasedPoolsOf(const std::string& tenant,
                                                 const std::vector<api::PoolLease>& leases,
                                                 const std::vector<api::GpuPool>& pools,
                                                 const placement::Catalog& catalog);

// Reserves in `ledger` what Bound placements (other than `except`, "ns/name") hold
// on pools still in the ledger.
void reserveBound(placement::CapacityLedger& ledger, const std::vector<api::Placement>& placements,
                  const std::string& tenant, const std::string& except,
                  const placement::Catalog& catalog);

}  // namespace landlord::controllers
