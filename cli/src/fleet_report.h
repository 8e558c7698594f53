#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>

#include "landlord/placement/resolved_fleet.h"

namespace landlord::cli {

// The fleet table of `landlord report`, the same whether the fleet came from a file
// or from the GPUPools of a live cluster.
void printFleetReport(const placement::ResolvedFleet& fleet, std::ostream& out);
nlohmann::ordered_json fleetReportJson(const placement::ResolvedFleet& fleet);

}  // namespace landlord::cli
