#pragma once

// Wall-clock time for status timestamps and drain deadlines (the runtime's Clock is
// monotonic). Tests pass a fixed function. Its RFC 3339 text is the runtime's
// kube::formatTime and kube::parseTime, included with it.

#include <chrono>
#include <functional>

#include "landlord/operator/base/time_format.h"

namespace landlord::controllers {

using WallClock = std::function<std::chrono::system_clock::time_point()>;
WallClock systemWallClock();

}  // namespace landlord::controllers
