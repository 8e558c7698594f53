#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>

#include "cluster_fleet.h"

namespace landlord::cli {

// What the live cluster adds to the fleet report: every lease with what it earns
// (from its status, as the operator computed it) and every tenant with its spend.
void printLeaseReport(const ClusterSnapshot& snapshot, std::ostream& out);
// Adds "leases", "leaseTotals" and "tenants" to a fleet report.
void addLeaseReportJson(const ClusterSnapshot& snapshot, nlohmann::ordered_json& report);

}  // namespace landlord::cli
