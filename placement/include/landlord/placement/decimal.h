#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace landlord::placement {

// Fixed-point decimals: a value is an integer count of 10^-scaleDigits units, so
// "2.20" at scale 6 is 2'200'000. Money and H100-equivalents use this so that no
// binary floating point ever touches a figure somebody is billed for.

// Parses a plain decimal ("2.20", "150000", "0.31"; no sign, exponent or
// separators) into units of 10^-scaleDigits. Throws std::invalid_argument with
// the reason when the text is malformed, has more than scaleDigits decimals, or
// does not fit.
std::int64_t parseDecimal(std::string_view text, int scaleDigits);

struct DecimalFormat {
  int places = 2;               // digits after the point, rounded half away from zero
  bool groupThousands = false;  // "567,000.00" rather than "567000.00"
};

// Formats units of 10^-scaleDigits.
std::string formatDecimal(std::int64_t units, int scaleDigits, DecimalFormat format);

}  // namespace landlord::placement
