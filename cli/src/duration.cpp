#include "duration.h"

#include <cctype>
#include <cstdio>

#include "landlord/cli/arguments.h"

namespace landlord::cli {

namespace {

// Milliseconds per unit, longest unit names first so "ms" is not read as "m".
struct Unit {
  std::string_view name;
  std::int64_t millis;
};
constexpr Unit kUnits[] = {{"ms", 1}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}};

}  // namespace

std::chrono::milliseconds parseDuration(std::string_view text, std::string_view option) {
  const auto bad = [&] {
    return UsageError("--" + std::string(option) + ": \"" + std::string(text) +
                      "\" is not a duration (e.g. 90s, 10m, 1m30s, 500ms)");
  };
  std::int64_t total = 0;
  std::size_t i = 0;
  if (text.empty()) {
    throw bad();
  }
  while (i < text.size()) {
    std::int64_t number = 0;
    const std::size_t digitsStart = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
      number = number * 10 + (text[i] - '0');
      if (number > 1'000'000'000) {
        throw bad();
      }
      ++i;
    }
    if (i == digitsStart) {
      throw bad();
    }
    const Unit* unit = nullptr;
    for (const Unit& candidate : kUnits) {
      if (text.substr(i).starts_with(candidate.name)) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr) {
      throw bad();
    }
    i += unit->name.size();
    total += number * unit->millis;
  }
  if (total <= 0) {
    throw bad();
  }
  return std::chrono::milliseconds(total);
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
