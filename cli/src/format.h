#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "landlord/placement/decimal.h"
#include "landlord/placement/money.h"

namespace landlord::cli {

// 150000 -> "150,000".
inline std::string grouped(std::int64_t count) {
  return placement::formatDecimal(count, 0, {.places = 0, .groupThousands = true});
}

// A status's decimal USD string; none when absent or not a decimal (a status is
// only reported, never trusted to parse).
inline std::optional<placement::Money> moneyOrNone(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  try {
    return placement::Money::parse(text);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

}  // namespace landlord::cli
