#include "duration.h"

#include <cstdio>
#include <stdexcept>

#include "landlord/cli/arguments.h"
#include "landlord/operator/base/duration.h"

namespace landlord::cli {

std::chrono::milliseconds parseDuration(std::string_view text, std::string_view option) {
  std::chrono::milliseconds duration;
  try {
    duration = std::chrono::round<std::chrono::milliseconds>(kube::parseDuration(text));
  } catch (const std::invalid_argument& e) {
    throw UsageError("--" + std::string(option) + ": \"" + std::string(text) +
                     "\" is not a duration: " + e.what());
  }
  if (duration <= std::chrono::milliseconds::zero()) {
    throw UsageError("--" + std::string(option) + ": \"" + std::string(text) +
                     "\" is not a positive duration");
  }
  return duration;
}

std::string formatDuration(std::chrono::milliseconds duration) {
  const long long seconds = duration.count() / 1000;
  char text[32];
  if (seconds < 60) {
    std::snprintf(text, sizeof text, "%llds", seconds);
  } else if (seconds < 3600) {
    std::snprintf(text, sizeof text, "%lldm%02llds", seconds / 60, seconds % 60);
  } else {
    std::snprintf(text, sizeof text, "%lldh%02lldm%02llds", seconds / 3600, seconds / 60 % 60,
                  seconds % 60);
  }
  return text;
}

}  // namespace landlord::cli
