#include "landlord/placement/decimal.h"

#include <algorithm>
#include <stdexcept>

#include "arithmetic.h"
#include "text.h"

namespace landlord::placement {

namespace {

constexpr int kMaxScaleDigits = 12;

void checkScale(int scaleDigits) {
  if (scaleDigits < 0 || scaleDigits > kMaxScaleDigits) {
    throw std::logic_error("decimal scale out of range");
  }
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

std::string groupDigits(const std::string& digits) {
  std::string grouped;
  const std::size_t size = digits.size();
  for (std::size_t i = 0; i < size; ++i) {
    if (i > 0 && (size - i) % 3 == 0) {
      grouped += ',';
    }
    grouped += digits[i];
  }
  return grouped;
}

std::string wideToString(detail::Wide value) {
  if (value == 0) {
    return "0";
  }
  std::string digits;
  while (value > 0) {
    digits += static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace

std::int64_t parseDecimal(std::string_view text, int scaleDigits) {
  checkScale(scaleDigits);
  if (text.empty()) {
    throw std::invalid_argument("expected a decimal number, got an empty value");
  }
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  const auto quoted = [&] { return detail::quoted(text); };
  if (whole.empty() || !std::all_of(whole.begin(), whole.end(), isDigit) ||
      (point != std::string_view::npos && fraction.empty()) ||
      !std::all_of(fraction.begin(), fraction.end(), isDigit)) {
    throw std::invalid_argument("expected a plain decimal number like \"2.20\", got " + quoted());
  }
  if (static_cast<int>(fraction.size()) > scaleDigits) {
    throw std::invalid_argument(quoted() + " has more than " + std::to_string(scaleDigits) +
                                " decimal places");
  }
  detail::Wide units = 0;
  for (char c : whole) {
    units = units * 10 + (c - '0');
    if (units > INT64_MAX) {
      throw std::invalid_argument(quoted() + " is too large");
    }
  }
  units *= detail::powerOfTen(scaleDigits);
  detail::Wide fractionUnits = 0;
  for (char c : fraction) {
    fractionUnits = fractionUnits * 10 + (c - '0');
  }
  units += fractionUnits * detail::powerOfTen(scaleDigits - static_cast<int>(fraction.size()));
  if (units > INT64_MAX) {
    throw std::invalid_argument(quoted() + " is too large");
  }
  return static_cast<std::int64_t>(units);
}

std::string formatDecimal(std::int64_t units, int scaleDigits, DecimalFormat format) {
  checkScale(scaleDigits);
  if (format.places < 0 || format.places > kMaxScaleDigits) {
    throw std::logic_error("decimal places out of range");
  }
  detail::Wide value = units;
  if (format.places < scaleDigits) {
    value = detail::divideRounded(value, detail::powerOfTen(scaleDigits - format.places));
  } else {
    value *= detail::powerOfTen(format.places - scaleDigits);
  }
  const bool negative = value < 0;
  const detail::Wide magnitude = negative ? -value : value;
  const detail::Wide scale = detail::powerOfTen(format.places);
  std::string whole = wideToString(magnitude / scale);
  if (format.groupThousands) {
    whole = groupDigits(whole);
  }
  std::string text = negative ? "-" + whole : whole;
  if (format.places > 0) {
    std::string fraction = wideToString(magnitude % scale);
    text += '.';
    text += std::string(static_cast<std::size_t>(format.places) - fraction.size(), '0');
    text += fraction;
  }
  return text;
}

}  // namespace landlord::placement
