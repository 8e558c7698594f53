#pragma once

// A lease's term in time: when it holds its pool, whether two terms on one pool
// overlap, and what a term is worth. Pure: times are given, never read.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "landlord/placement/money.h"

namespace landlord::placement {

using TimePoint = std::chrono::sys_seconds;

// When a lease holds, or will hold, its pool: [from, until), `until` none for
// open-ended.
struct LeaseWindow {
  TimePoint from;
  std::optional<TimePoint> until;
};

bool overlaps(const LeaseWindow& a, const LeaseWindow& b);

// The part of the window both share, for messages; none when they do not overlap.
std::optional<LeaseWindow> overlapOf(const LeaseWindow& a, const LeaseWindow& b);

// A lease on a pool as the double-booking rule sees it.
struct TermedLease {
  std::string name;
  std::string supersedes;  // empty: none
  LeaseWindow window;
};

struct DoubleBooking {
  std::string other;    // the lease whose term overlaps
  LeaseWindow overlap;  // the shared window
};

// No double booking: the first of `others` (live or scheduled leases on the same
// pool) whose window overlaps `candidate`'s, unless one supersedes the other (a
// handover: the superseded lease ends when its successor starts). A lease's window
// is cut at the start of any lease superseding it.
std::optional<DoubleBooking> findDoubleBooking(const TermedLease& candidate,
                                               std::span<const TermedLease> others);

// What `hourly` earns over `held` (rounded down to the micro-dollar).
Money prorate(Money hourly, std::chrono::seconds held);

struct TermValue {
  std::optional<Money> contract;  // none for an open-ended term
  Money accrued;
  std::optional<Money> remaining;  // contract - accrued, never below zero
};

// The contract: `hourly` from `contractFrom` (the term's start, or activation
// without one) to `end`; accrued from `activatedAt` up to `now` (or `end` if earlier).
TermValue termValue(Money hourly, TimePoint contractFrom, TimePoint activatedAt,
                    std::optional<TimePoint> end, TimePoint now);

// Revenue per calendar month (UTC) of leases earning `hourly` over their windows,
// for the `months` months starting with the one holding `from`, counted from `from`.
struct EarningWindow {
  Money hourly;
  LeaseWindow window;
};
struct MonthRevenue {
  int year = 0;
  unsigned month = 0;  // 1..12
  Money revenue;
};
std::vector<MonthRevenue> monthlyOutlook(std::span<const EarningWindow> leases, TimePoint from,
                                         int months);

}  // namespace landlord::placement
