#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "landlord/operator/client/client.h"
#include "landlord/placement/catalog.h"
#include "landlord/placement/resolved_fleet.h"

namespace landlord::cli {

// The landlord objects of a live cluster, read once; each list sorted by name.
struct ClusterSnapshot {
  std::string name;  // the context, names the fleet
  std::vector<nlohmann::json> pools;
  std::vector<nlohmann::json> leases;
  std::vector<nlohmann::json> tenants;
};

// Throws CommandError saying which list failed and why.
ClusterSnapshot readSnapshot(kube::Client& client, std::string name);

// The fleet as the operator counted it in each GPUPool's status (nodes and GPUs per
// catalog model, unknown products, the price applied per model), with the figures
// derived by `catalog` exactly as for a fleet file. Anything the catalog disagrees
// with, or a pool without status yet, is reported in `warnings`, never guessed.
placement::ResolvedFleet fleetFromPools(const ClusterSnapshot& snapshot,
                                        const placement::Catalog& catalog,
                                        std::vector<std::string>& warnings);

// Each warning on its own line: "warning: ...".
void printWarnings(const std::vector<std::string>& warnings, std::ostream& err);

}  // namespace landlord::cli
