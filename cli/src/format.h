#pragma once

#include <cstdint>
#include <string>

#include "landlord/placement/decimal.h"

namespace landlord::cli {

// 150000 -> "150,000".
inline std::string grouped(std::int64_t count) {
  return placement::formatDecimal(count, 0, {.places = 0, .groupThousands = true});
}

}  // namespace landlord::cli
