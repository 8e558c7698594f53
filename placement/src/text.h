#pragma once

#include <string>
#include <string_view>

namespace landlord::placement::detail {

// "\"lab\"". Built by appending: GCC 12 at -O3 reports a false -Wrestrict on
// `"\"" + std::string(...)` (GCC bug 105329).
inline std::string quoted(std::string_view text) {
  std::string result;
  result.reserve(text.size() + 2);
  result += '"';
  result += text;
  result += '"';
  return result;
}

}  // namespace landlord::placement::detail
