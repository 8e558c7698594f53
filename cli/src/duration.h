#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace landlord::cli {

// Go/kubectl durations ("10m", "1.5m", "1m30s", "500ms", "2h"), read by the
// operator's parser (landlord/operator/base/duration.h), to the millisecond.
// Throws UsageError naming `option` for anything else, zero or negative.
std::chrono::milliseconds parseDuration(std::string_view text, std::string_view option);

// "14s", "2m05s", "1h02m03s": to the second, as a person reads it.
std::string formatDuration(std::chrono::milliseconds duration);

}  // namespace landlord::cli
