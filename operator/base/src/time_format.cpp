// RFC 3339 timestamps: fmt's chrono formatting out, a strict parser in.
#include "landlord/operator/base/time_format.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cctype>

namespace landlord::kube {

namespace {

using std::chrono::system_clock;

// Reads exactly `count` digits at `at`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& at, std::size_t count) {
  if (at + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[at + i];
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  at += count;
  return value;
}

bool expect(std::string_view text, std::size_t& at, std::string_view oneOf) {
  if (at < text.size() && oneOf.find(text[at]) != std::string_view::npos) {
    ++at;
    return true;
  }
  return false;
}

}  // namespace

std::string formatTime(system_clock::time_point time) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", std::chrono::floor<std::chrono::seconds>(time));
}

std::string formatMicroTime(system_clock::time_point time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto micros = std::chrono::floor<std::chrono::microseconds>(time) - seconds;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}Z", seconds, micros.count());
}

std::string microTimeNow() {
  return formatMicroTime(system_clock::now());
}

std::optional<system_clock::time_point> parseTime(std::string_view text) {
  std::size_t at = 0;
  const auto year = digits(text, at, 4);
  const bool dateDash = expect(text, at, "-");
  const auto month = digits(text, at, 2);
  const bool monthDash = expect(text, at, "-");
  const auto day = digits(text, at, 2);
  const bool separator = expect(text, at, "Tt");
  const auto hour = digits(text, at, 2);
  const bool hourColon = expect(text, at, ":");
  const auto minute = digits(text, at, 2);
  const bool minuteColon = expect(text, at, ":");
  const auto second = digits(text, at, 2);
  if (!year || !dateDash || !month || !monthDash || !day || !separator || !hour || !hourColon ||
      !minute || !minuteColon || !second || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  std::chrono::nanoseconds fraction{0};
  if (expect(text, at, ".")) {
    const std::size_t start = at;
    std::int64_t scale = 100'000'000;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0) {
      fraction += std::chrono::nanoseconds((text[at] - '0') * scale);
      scale /= 10;
      ++at;
    }
    if (at == start) {
      return std::nullopt;
    }
  }
  std::chrono::minutes offset{0};
  if (!expect(text, at, "Zz")) {
    const bool ahead = at < text.size() && text[at] == '+';
    if (!expect(text, at, "+-")) {
      return std::nullopt;
    }
    const auto offsetHours = digits(text, at, 2);
    const bool offsetColon = expect(text, at, ":");
    const auto offsetMinutes = digits(text, at, 2);
    if (!offsetHours || !offsetColon || !offsetMinutes || *offsetHours > 23 ||
        *offsetMinutes > 59) {
      return std::nullopt;
    }
    offset = std::chrono::hours(*offsetHours) + std::chrono::minutes(*offsetMinutes);
    if (!ahead) {
      offset = -offset;
    }
  }
  if (at != text.size()) {
    return std::nullopt;
  }
  const auto local = std::chrono::sys_days(date) + std::chrono::hours(*hour) +
                     std::chrono::minutes(*minute) + std::chrono::seconds(*second) + fraction;
  return std::chrono::time_point_cast<system_clock::duration>(local - offset);
}

}  // namespace landlord::kube
