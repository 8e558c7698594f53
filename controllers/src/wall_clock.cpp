// Wall-clock time and its RFC 3339 text, for status timestamps and drain deadlines.
#include "landlord/controllers/wall_clock.h"

#include <ctime>
#include <iomanip>
#include <sstream>

namespace landlord::controllers {

WallClock systemWallClock() {
  return [] { return std::chrono::system_clock::now(); };
}

std::string formatTime(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::ostringstream out;
  out << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
  return out.str();
}

std::optional<std::chrono::system_clock::time_point> parseTime(std::string_view text) {
  std::tm utc{};
  std::istringstream in{std::string(text)};
  in >> std::get_time(&utc, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&utc));
}

}  // namespace landlord::controllers
