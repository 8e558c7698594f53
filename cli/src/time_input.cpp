// Times on the command line: RFC 3339, a date, or +DURATION from now; printed as RFC 3339.
#include "time_input.h"

#include <chrono>
#include <optional>

#include "duration.h"
#include "landlord/cli/arguments.h"
#include "landlord/operator/base/time_format.h"

namespace landlord::cli {

namespace {

using placement::TimePoint;

// "2026-12-01": midnight UTC of that day, or none when it is not a real date.
std::optional<TimePoint> parseDate(std::string_view text) {
  return parseApiTime(std::string(text) + "T00:00:00Z");
}

}  // namespace

std::optional<TimePoint> parseApiTime(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  const auto parsed = kube::parseTime(text);
  if (!parsed) {
    return std::nullopt;
  }
  return std::chrono::floor<std::chrono::seconds>(*parsed);
}

TimePoint parseTimeOption(std::string_view text, std::string_view option, TimePoint now) {
  if (text.starts_with('+')) {
    const std::chrono::milliseconds offset = parseDuration(text.substr(1), option);
    return now + std::chrono::ceil<std::chrono::seconds>(offset);
  }
  if (text.size() == 10) {
    if (const auto date = parseDate(text)) {
      return *date;
    }
  } else if (const auto time = parseApiTime(std::string(text))) {
    return *time;
  }
  throw UsageError("--" + std::string(option) + ": \"" + std::string(text) +
                   "\" is not a time: give RFC 3339 (2026-12-01T00:00:00Z), a date (2026-12-01) "
                   "or an offset from now (+30s, +2h)");
}

std::string formatTimePoint(TimePoint time) {
  return kube::formatTime(time);
}

}  // namespace landlord::cli
