#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace landlord::kube {

// HTTP header names and some values compare case-insensitively.
inline std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Without the spaces and tabs HTTP allows around a header value.
inline std::string_view trimHeaderValue(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace landlord::kube
