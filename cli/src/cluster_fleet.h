#pragma once

// The landlord objects of a live cluster, and the fleet the operator counted in them.

#include <iosfwd>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/tenant.h"
#include "landlord/operator/client/client.h"
#include "landlord/placement/catalog.h"
#include "landlord/placement/resolved_fleet.h"

namespace landlord::cli {

// The landlord objects of a live cluster, read once; each list sorted by name. A
// half-reconciled object is shown as it is: what it lacks reads as absent.
struct ClusterSnapshot {
  std::string name;  // the context, names the fleet
  std::vector<api::GpuPool> pools;
  std::vector<api::PoolLease> leases;
  std::vector<api::Tenant> tenants;
};

// Throws CommandError saying which list failed and why.
ClusterSnapshot readSnapshot(kube::Client& client, std::string name);

// The fleet as the operator counted it in each GPUPool's status (nodes and GPUs per
// catalog model, unknown products, the price applied per model), with the figures
// derived by `catalog` exactly as for a fleet file. Anything the catalog disagrees
// with, a pool without status yet, or a field that does not decode, is reported in
// `warnings`, never guessed.
placement::ResolvedFleet fleetFromPools(const ClusterSnapshot& snapshot,
                                        const placement::Catalog& catalog,
                                        std::vector<std::string>& warnings);

// Each warning on its own line: "warning: ...".
void printWarnings(const std::vector<std::string>& warnings, std::ostream& err);

}  // namespace landlord::cli
