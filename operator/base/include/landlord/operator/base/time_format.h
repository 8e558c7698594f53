#pragma once

// Kubernetes timestamps (RFC 3339, UTC on output): metav1.Time to the second,
// metav1.MicroTime to the microsecond, and parsing either with any fraction
// and UTC offset. The one implementation for the runtime, the controllers and
// the CLI.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace landlord::kube {

// "2026-11-25T03:04:05Z" (metav1.Time; the fraction is dropped).
std::string formatTime(std::chrono::system_clock::time_point time);

// "2026-11-25T03:04:05.123456Z" (metav1.MicroTime, as Leases and
// events.k8s.io Events want it).
std::string formatMicroTime(std::chrono::system_clock::time_point time);

// The current time as metav1.MicroTime.
std::string microTimeNow();

// RFC 3339: "2026-11-25T03:04:05Z", "...05.5Z", "...05.123456789+02:00"
// ('t' and 'z' in either case, a fraction of any length, read to the
// nanosecond). nullopt for anything else, including an impossible date.
std::optional<std::chrono::system_clock::time_point> parseTime(std::string_view text);

}  // namespace landlord::kube
