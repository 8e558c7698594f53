#pragma once

// The live cluster's part of `landlord report`: leases and what they earn, tenants and spend.

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
