// Go's duration syntax, read as time.ParseDuration reads it.
#include "landlord/operator/base/duration.h"

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace landlord::kube {

namespace {

constexpr std::uint64_t kMaxNanos = std::numeric_limits<std::int64_t>::max();

struct Unit {
  std::string_view name;
  std::uint64_t nanos;
};
// Longest names first, so that "ms" is not read as "m" followed by "s".
constexpr Unit kUnits[] = {
    {"ns", 1},          {"us", 1'000},        {"\u00b5s", 1'000},  // micro sign
    {"\u03bcs", 1'000},                                            // Greek mu
    {"ms", 1'000'000},  {"s", 1'000'000'000}, {"m", 60'000'000'000}, {"h", 3'600'000'000'000},
};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::chrono::nanoseconds parseDuration(std::string_view text) {
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  if (rest == "0") {
    return std::chrono::nanoseconds::zero();
  }
  if (rest.empty()) {
    throw std::invalid_argument("empty");
  }
  std::uint64_t total = 0;
  while (!rest.empty()) {
    std::uint64_t whole = 0;
    bool anyDigits = false;
    while (!rest.empty() && isDigit(rest.front())) {
      if (whole > (kMaxNanos - 9) / 10) {
        throw std::invalid_argument("too large");
      }
      whole = whole * 10 + static_cast<std::uint64_t>(rest.front() - '0');
      anyDigits = true;
      rest.remove_prefix(1);
    }
    // The fraction as numerator / scale, digits past what int64 holds dropped.
    std::uint64_t numerator = 0;
    std::uint64_t scale = 1;
    if (!rest.empty() && rest.front() == '.') {
      rest.remove_prefix(1);
      while (!rest.empty() && isDigit(rest.front())) {
        if (scale <= kMaxNanos / 10) {
          numerator = numerator * 10 + static_cast<std::uint64_t>(rest.front() - '0');
          scale *= 10;
        }
        anyDigits = true;
        rest.remove_prefix(1);
      }
    }
    if (!anyDigits) {
      throw std::invalid_argument("expected a number");
    }
    const Unit* unit = nullptr;
    for (const Unit& candidate : kUnits) {
      if (rest.starts_with(candidate.name)) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr) {
      const std::size_t end = rest.find_first_of("0123456789.");
      const std::string found(rest.substr(0, end));
      throw std::invalid_argument(
          (found.empty() ? std::string("missing unit") : "unknown unit \"" + found + "\"") +
          " (use ns, us, ms, s, m or h)");
    }
    rest.remove_prefix(unit->name.size());
    if (whole > kMaxNanos / unit->nanos) {
      throw std::invalid_argument("too large");
    }
    std::uint64_t nanos = whole * unit->nanos;
    // Floating point for the fraction, as Go does: exact to the nanosecond for
    // fractions of an hour, and never more than one unit.
    const long double fraction = static_cast<long double>(numerator) *
                                 static_cast<long double>(unit->nanos) /
                                 static_cast<long double>(scale);
    nanos += static_cast<std::uint64_t>(fraction);
    if (nanos > kMaxNanos || total > kMaxNanos - nanos) {
      throw std::invalid_argument("too large");
    }
    total += nanos;
  }
  const auto signedTotal = static_cast<std::int64_t>(total);
  return std::chrono::nanoseconds(negative ? -signedTotal : signedTotal);
}

}  // namespace landlord::kube
