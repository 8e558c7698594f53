#pragma once

// Times given on the command line (--at, --until, --from, --to) and how the CLI prints them.

#include <string>
#include <string_view>

#include "landlord/placement/lease_term.h"

namespace landlord::cli {

// RFC 3339 ("2026-12-01T00:00:00Z", any offset), a date ("2026-12-01", midnight
// UTC), or an offset from `now` ("+30s", "+2h", "+1h30m"), to the second. Throws
// UsageError naming `option` for anything else.
placement::TimePoint parseTimeOption(std::string_view text, std::string_view option,
                                     placement::TimePoint now);

// "2026-12-01T00:00:00Z", as the API stores it.
std::string formatTimePoint(placement::TimePoint time);

// The time an API field holds, or none when it is empty or not RFC 3339.
std::optional<placement::TimePoint> parseApiTime(const std::string& text);

}  // namespace landlord::cli
