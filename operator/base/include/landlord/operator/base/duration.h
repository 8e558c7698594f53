#pragma once

// Durations in Go's time.ParseDuration syntax, the one parser for the
// operator's flags and the CLI's options: "300ms", "1.5m", "1h2m3.5s", "0".

#include <chrono>
#include <string_view>

namespace landlord::kube {

// Units ns, us (µs, μs), ms, s, m, h; a sign and fractions allowed; "0" needs
// no unit. Throws std::invalid_argument saying what is wrong ("missing unit
// (use ns, us, ms, s, m or h)"); callers name the flag or field.
std::chrono::nanoseconds parseDuration(std::string_view text);

}  // namespace landlord::kube
