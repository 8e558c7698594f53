#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace landlord::placement {

// Bad input text (a fleet, catalog or plan file). what() is "SOURCE:LINE: reason".
class ParseError : public std::runtime_error {
 public:
  ParseError(std::string_view source, int line, std::string_view reason);

  const std::string& source() const { return source_; }
  int line() const { return line_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string source_;
  int line_;
  std::string reason_;
};

// Input that parsed but does not make sense against the catalog or other input,
// e.g. an unknown GPU product or a lease on a pool that does not exist.
class ResolveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace landlord::placement
