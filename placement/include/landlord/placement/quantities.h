#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace landlord::placement {

// H100-equivalents as an exact count of 1/10,000ths, so a catalog factor such as
// 0.32 or 2.25 and every sum of them stays exact.
class H100Eq {
 public:
  static constexpr int kScaleDigits = 4;
  static constexpr std::int64_t kUnitsPerEq = 10'000;

  constexpr H100Eq() = default;
  static constexpr H100Eq fromUnits(std::int64_t units) { return H100Eq(units); }
  // Parses "2.25"; throws std::invalid_argument with the reason.
  static H100Eq parse(std::string_view text);

  constexpr std::int64_t units() const { return units_; }
  H100Eq operator+(H100Eq other) const;
  H100Eq operator-(H100Eq other) const;
  H100Eq times(std::int64_t count) const;
  constexpr auto operator<=>(const H100Eq&) const = default;

  // "250,000" or "0.32": grouped, trailing zero decimals dropped.
  std::string format() const;
  // "250000" or "0.32": for machine-readable output.
  std::string plain() const;
  double toDouble() const { return static_cast<double>(units_) / kUnitsPerEq; }

 private:
  constexpr explicit H100Eq(std::int64_t units) : units_(units) {}
  std::int64_t units_ = 0;
};

// An exact fraction such as a straggler efficiency (numerator/denominator).
struct Ratio {
  std::int64_t numerator = 1;
  std::int64_t denominator = 1;

  // Exact comparison of the two fractions.
  bool equals(const Ratio& other) const;
  // Rounded half away from zero, e.g. "0.88".
  std::string format(int places) const;
  double toDouble() const {
    return static_cast<double>(numerator) / static_cast<double>(denominator);
  }
};

}  // namespace landlord::placement
