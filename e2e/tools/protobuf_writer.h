#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace landlord::hollow {

// Protocol Buffers wire format, the two field kinds a Node needs: strings and
// embedded messages (maps are repeated key/value messages). Fields are written
// in call order; the reader does not care about order.
class ProtobufWriter {
 public:
  void string(int field, std::string_view value) {
    tag(field, kLengthDelimited);
    varint(value.size());
    bytes_.append(value);
  }

  // body(ProtobufWriter&) writes the embedded message's fields.
  template <typename Body>
  void message(int field, Body&& body) {
    ProtobufWriter embedded;
    body(embedded);
    string(field, embedded.bytes_);
  }

  // map<string, string> entry.
  void mapEntry(int field, std::string_view key, std::string_view value) {
    message(field, [&](ProtobufWriter& entry) {
      entry.string(1, key);
      entry.string(2, value);
    });
  }

  const std::string& bytes() const& { return bytes_; }
  std::string bytes() && { return std::move(bytes_); }

 private:
  static constexpr std::uint32_t kLengthDelimited = 2;

  void tag(int field, std::uint32_t wireType) {
    varint((static_cast<std::uint64_t>(field) << 3) | wireType);
  }

  void varint(std::uint64_t value) {
    while (value >= 0x80) {
      bytes_.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    bytes_.push_back(static_cast<char>(value));
  }

  std::string bytes_;
};

}  // namespace landlord::hollow
