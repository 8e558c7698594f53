#pragma once

// Strings packed one after another into one buffer, each behind its length as a
// LEB128 varint: one byte for a length under 128. The cache keeps an object's
// identity, and a node's labels and taints, this way, in one allocation each.

#include <cstddef>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace landlord::kube::packed {

// Writes the varint at `at`; returns where it ends.
inline char* writeLength(char* at, std::size_t length) {
  while (length >= 0x80) {
    *at++ = static_cast<char>((length & 0x7f) | 0x80);
    length >>= 7;
  }
  *at++ = static_cast<char>(length);
  return at;
}

// The bytes writeLength() takes for this length.
inline std::size_t lengthBytes(std::size_t length) {
  std::size_t bytes = 1;
  for (; length >= 0x80; length >>= 7) {
    ++bytes;
  }
  return bytes;
}

inline void appendLength(std::string& out, std::size_t length) {
  char bytes[10];  // a 64-bit length takes at most ten
  out.append(bytes, writeLength(bytes, length));
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

// Writes the text behind its length at `at`; returns where it ends.
inline char* writeText(char* at, std::string_view text) {
  at = writeLength(at, text.size());
  if (!text.empty()) {  // an empty view's data() may be null, which memcpy must not get
    std::memcpy(at, text.data(), text.size());
  }
  return at + text.size();
}

// The bytes writeText() takes for this text.
inline std::size_t textBytes(std::string_view text) {
  return lengthBytes(text.size()) + text.size();
}

// Reads the text at `at` and moves `at` past it.
inline std::string_view readText(const char*& at) {
  const std::size_t length = readLength(at);
  const std::string_view text(at, length);
  at += length;
  return text;
}

// One string in one exact-size allocation behind its length: 8 bytes inline
// where a std::string takes 32 (and still allocates past 15 characters). For
// what is kept once per node (a key, packed labels and taints). Empty holds no
// allocation.
class String {
 public:
  String() = default;
  explicit String(std::string_view text) {
    if (!text.empty()) {
      data_ = std::make_unique_for_overwrite<char[]>(textBytes(text));
      writeText(data_.get(), text);
    }
  }
  String(const String& other) : String(other.view()) {}
  String(String&&) noexcept = default;
  String& operator=(const String& other) {
    if (this != &other) {
      *this = String(other.view());
    }
    return *this;
  }
  String& operator=(String&&) noexcept = default;
  ~String() = default;
  std::string_view view() const {
    if (!data_) {
      return {};
    }
    const char* at = data_.get();
    return readText(at);
  }
  bool empty() const { return data_ == nullptr; }
  // Heap bytes held (the text and its length), 0 when empty.
  std::size_t heapBytes() const { return data_ ? textBytes(view()) : 0; }
  bool operator==(const String& other) const { return view() == other.view(); }

 private:
  std::unique_ptr<char[]> data_;
};

// Hash and equality over packed::String and std::string_view alike, for
// unordered containers keyed by String and searched by view. The hash is
// noexcept and cheap, so libstdc++ keeps no hash code beside each element.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
  std::size_t operator()(const String& text) const noexcept { return (*this)(text.view()); }
};
struct StringEqual {
  using is_transparent = void;
  static std::string_view view(std::string_view text) { return text; }
  static std::string_view view(const String& text) { return text.view(); }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const noexcept {
    return view(a) == view(b);
  }
};

}  // namespace landlord::kube::packed
