#include "landlord/placement/errors.h"

namespace landlord::placement {

namespace {

std::string describe(std::string_view source, int line, std::string_view reason) {
  std::string text(source);
  text += ':';
  text += std::to_string(line);
  text += ": ";
  text += reason;
  return text;
}

}  // namespace

ParseError::ParseError(std::string_view source, int line, std::string_view reason)
    : std::runtime_error(describe(source, line, reason)),
      source_(source),
      line_(line),
      reason_(reason) {}

}  // namespace landlord::placement
