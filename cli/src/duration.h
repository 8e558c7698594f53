#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace landlord::cli {

// Go/kubectl durations: "10m", "90s", "1m30s", "500ms", "2h". Throws UsageError
// naming `option` for anything else, zero or negative.
std::chrono::milliseconds parseDuration(std::string_view text, std::string_view option);

// "14s", "2m05s", "1h02m03s": to the second, as a person reads it.
std::string formatDuration(std::chrono::milliseconds duration);

}  // namespace landlord::cli
