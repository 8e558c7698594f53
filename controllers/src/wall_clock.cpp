// The system's wall clock, for status timestamps and drain deadlines.
#include "landlord/controllers/wall_clock.h"

namespace landlord::controllers {

WallClock systemWallClock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace landlord::controllers
