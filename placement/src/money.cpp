#include "landlord/placement/money.h"

#include <stdexcept>

#include "arithmetic.h"
#include "landlord/placement/decimal.h"

namespace landlord::placement {

Money Money::fromDollars(std::int64_t dollars) {
  return Money(detail::narrow(detail::Wide{dollars} * kMicrosPerDollar, "money overflow"));
}

Money Money::parse(std::string_view dollars) {
  return Money(parseDecimal(dollars, kScaleDigits));
}

Money Money::operator+(Money other) const {
  return Money(detail::narrow(detail::Wide{micros_} + other.micros_, "money overflow"));
}

Money Money::operator-(Money other) const {
  return Money(detail::narrow(detail::Wide{micros_} - other.micros_, "money overflow"));
}

Money& Money::operator+=(Money other) {
  *this = *this + other;
  return *this;
}

Money Money::times(std::int64_t count) const {
  return Money(detail::narrow(detail::Wide{micros_} * count, "money overflow"));
}

std::string Money::format(int places) const {
  const std::string digits =
      formatDecimal(micros_, kScaleDigits, {.places = places, .groupThousands = true});
  if (!digits.empty() && digits.front() == '-') {
    return "-$" + digits.substr(1);
  }
  return "$" + digits;
}

std::string Money::plain(int places) const {
  return formatDecimal(micros_, kScaleDigits, {.places = places, .groupThousands = false});
}

std::string formatAverage(Money total, std::int64_t count, int places) {
  if (count <= 0) {
    throw std::invalid_argument("formatAverage: count must be positive");
  }
  if (places > Money::kScaleDigits) {
    throw std::invalid_argument("formatAverage: at most 6 places");
  }
  // Scale to `places` digits in one exact division so nothing is rounded twice.
  const detail::Wide scaled =
      detail::divideRounded(detail::Wide{total.micros()} * detail::powerOfTen(places),
                            detail::Wide{count} * Money::kMicrosPerDollar);
  return formatDecimal(detail::narrow(scaled, "average overflow"), places, {.places = places});
}

}  // namespace landlord::placement
