#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace landlord::placement {

inline constexpr std::int64_t kHoursPerYear = 8'760;

// US dollars as an exact count of micro-dollars. Arithmetic that would overflow
// throws std::overflow_error rather than wrapping.
class Money {
 public:
  static constexpr int kScaleDigits = 6;
  static constexpr std::int64_t kMicrosPerDollar = 1'000'000;

  constexpr Money() = default;
  static constexpr Money fromMicros(std::int64_t micros) { return Money(micros); }
  static Money fromDollars(std::int64_t dollars);
  // Parses "2.20" or "567000" exactly; throws std::invalid_argument with the reason.
  static Money parse(std::string_view dollars);

  constexpr std::int64_t micros() const { return micros_; }

  Money operator+(Money other) const;
  Money operator-(Money other) const;
  Money& operator+=(Money other);
  Money times(std::int64_t count) const;
  constexpr auto operator<=>(const Money&) const = default;

  // "$567,000.00": thousands grouped, rounded half away from zero to `places`.
  std::string format(int places = 2) const;
  // "567000.00": for machine-readable output.
  std::string plain(int places = 2) const;

 private:
  constexpr explicit Money(std::int64_t micros) : micros_(micros) {}
  std::int64_t micros_ = 0;
};

// total / count as a plain decimal rounded half away from zero to `places`, computed
// from the exact figures (no intermediate rounding), e.g. a weighted rate per GPU-hour.
std::string formatAverage(Money total, std::int64_t count, int places);

}  // namespace landlord::placement
