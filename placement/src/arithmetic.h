#pragma once

#include <cstdint>
#include <stdexcept>

namespace landlord::placement::detail {

using Wide = __int128;

// numerator / denominator rounded half away from zero; denominator must be > 0.
inline Wide divideRounded(Wide numerator, Wide denominator) {
  if (denominator <= 0) {
    throw std::logic_error("divideRounded: denominator must be positive");
  }
  const Wide magnitude = numerator < 0 ? -numerator : numerator;
  const Wide rounded = (magnitude + denominator / 2) / denominator;
  return numerator < 0 ? -rounded : rounded;
}

inline std::int64_t narrow(Wide value, const char* what) {
  if (value > INT64_MAX || value < INT64_MIN) {
    throw std::overflow_error(what);
  }
  return static_cast<std::int64_t>(value);
}

inline Wide powerOfTen(int digits) {
  Wide value = 1;
  for (int i = 0; i < digits; ++i) {
    value *= 10;
  }
  return value;
}

}  // namespace landlord::placement::detail
