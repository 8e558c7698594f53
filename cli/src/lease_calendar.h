#pragma once

// When each PoolLease holds, or will hold, its pool: windows read from the API
// objects, for the calendar and the revenue outlook. Pure: `now` is given.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/placement/lease_term.h"

namespace landlord::cli {

struct CalendarEntry {
  std::string lease;
  std::string pool;
  std::string tenant;
  std::string purpose;
  std::string phase;  // status.phase; "Planned" for a return lease not created yet
  placement::LeaseWindow window;
  std::string supersededBy;  // the lease whose start ends this one's window, if any
  // spec.term.atEnd and returnTo when the lease has a term with an end.
  std::string atEnd;  // "", Release, Return
  std::optional<api::TermReturn> returnTo;
};

// One entry per lease, sorted by pool, then start, then name. A lease holds its pool
// from its activation (status.activatedAt), else its term's start, else its
// creation, and until the earliest of: its release (status.releasedAt), its term's
// end, the start of the lease superseding it. A Released or Failed lease without
// releasedAt ended at an unknown time: its window is empty. A live lease whose term
// ends with Return, and whose return lease does not exist yet, adds a Planned entry
// "<lease>-return" for returnTo from the term's end, open-ended.
std::vector<CalendarEntry> leaseCalendar(std::span<const api::PoolLease> leases,
                                         placement::TimePoint now);

// A lease that holds or will hold its pool: not Released, Failed or Planned.
bool isLiveOrScheduled(const CalendarEntry& entry);

}  // namespace landlord::cli
