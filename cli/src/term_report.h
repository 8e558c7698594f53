#pragma once

// The terms part of `landlord report`: each lease's term and its money, and the
// revenue outlook per calendar month of the live and scheduled leases. Pure: `now`
// is given.

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <vector>

#include "cluster_fleet.h"
#include "landlord/placement/lease_term.h"

namespace landlord::cli {

constexpr int kOutlookMonths = 12;

// What each live or scheduled lease earns an hour over its window: status.hourlyRate,
// or for a lease not earning yet spec.ratePerGPUHour × the pool's GPUs (the pool's
// hourly list rate without a negotiated one). Leases whose rate is not known yet are
// counted in `unpriced`.
std::vector<placement::EarningWindow> earningWindows(const ClusterSnapshot& snapshot,
                                                     placement::TimePoint now,
                                                     std::vector<std::string>& unpriced);

// "Terms" (leases with spec.term: start, end, at end, contract value, accrued,
// remaining, from status.term) and "Revenue outlook" (kOutlookMonths months from
// the month holding `now`).
void printTermReport(const ClusterSnapshot& snapshot, placement::TimePoint now, std::ostream& out);
// Adds "terms" and "outlook" to a report.
void addTermReportJson(const ClusterSnapshot& snapshot, placement::TimePoint now,
                       nlohmann::ordered_json& report);

}  // namespace landlord::cli
