#pragma once

// Strings packed one after another into one buffer, each behind its length as a
// LEB128 varint: one byte for a length under 128. The cache keeps an object's
// identity, and a node's labels and taints, this way, in one allocation each.

#include <cstddef>
#include <string>
#include <string_view>

namespace landlord::kube::packed {

inline void appendLength(std::string& out, std::size_t length) {
  while (length >= 0x80) {
    out.push_back(static_cast<char>((length & 0x7f) | 0x80));
    length >>= 7;
  }
  out.push_back(static_cast<char>(length));
}

inline std::size_t readLength(const char*& at) {
  std::size_t length = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*at++);
    length |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      return length;
    }
  }
}

inline void appendText(std::string& out, std::string_view text) {
  appendLength(out, text.size());
  out.append(text);
}

// Reads the text at `at` and moves `at` past it.
inline std::string_view readText(const char*& at) {
  const std::size_t length = readLength(at);
  const std::string_view text(at, length);
  at += length;
  return text;
}

}  // namespace landlord::kube::packed
