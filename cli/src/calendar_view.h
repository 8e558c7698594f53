#pragma once

// `landlord calendar` drawn: a timeline per pool with a letter per tenant, and the
// list of lease windows under it; or the same as JSON.

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "lease_calendar.h"

namespace landlord::cli {

struct CalendarRange {
  placement::TimePoint from;
  placement::TimePoint to;  // after from
};

// One row per pool (every name in `pools`, and every pool a lease names) with `width`
// columns over `range`, each the letter of the tenant holding the pool at the middle
// of its slice, '.' when none does; a date axis, the legend, and a table of every
// lease whose window touches the range.
void printCalendar(std::span<const std::string> pools, std::span<const CalendarEntry> entries,
                   const CalendarRange& range, std::ostream& out, int width = 60);

// {"from", "to", "pools": [{"name", "leases": [{"name", "tenant", "purpose", "phase",
// "start", "end" (null: open), "atEnd", "returnTo", "supersededBy"}]}]}, with the
// leases whose window touches the range.
nlohmann::ordered_json calendarJson(std::span<const std::string> pools,
                                    std::span<const CalendarEntry> entries,
                                    const CalendarRange& range);

}  // namespace landlord::cli
