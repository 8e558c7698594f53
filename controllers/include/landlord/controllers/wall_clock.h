#pragma once

// Wall-clock time for status timestamps and drain deadlines (the runtime's Clock is
// monotonic), and the RFC 3339 text status fields hold. Tests pass a fixed function.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace landlord::controllers {

using WallClock = std::function<std::chrono::system_clock::time_point()>;
WallClock systemWallClock();
std::string formatTime(std::chrono::system_clock::time_point time);  // RFC 3339, UTC, seconds
std::optional<std::chrono::system_clock::time_point> parseTime(std::string_view text);

}  // namespace landlord::controllers
