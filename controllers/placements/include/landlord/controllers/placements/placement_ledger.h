#pragma once

// Builds the placement engine's view of a tenant's capacity from the cluster: its
// Active leases and their pools' status, less what its other Bound placements hold.

#include <string>
#include <vector>

#include "landlord/controllers/api.h"
#include "landlord/placement/catalog.h"
#include "landlord/placement/placement.h"

namespace landlord::controllers {

// The tenant owning a namespace (the Tenant object), or null.
json tenantOwning(const std::vector<json>& tenants, const std::string& ns);

placement::TenantProfile profileOf(const json& tenant);

// A pool held by one of the tenant's Active leases, from the pool's status.
std::vector<placement::LeasedPool> leasedPoolsOf(const std::string& tenant,
                                                 const std::vector<json>& leases,
                                                 const std::vector<json>& pools,
                                                 const placement::Catalog& catalog);

// Reserves in `ledger` what Bound placements (other than `except`, "ns/name") hold
// on pools still in the ledger.
void reserveBound(placement::CapacityLedger& ledger, const std::vector<json>& placements,
                  const std::string& tenant, const std::string& except,
                  const placement::Catalog& catalog);

}  // namespace landlord::controllers
