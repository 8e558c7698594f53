#include "landlord/placement/quantities.h"

#include <stdexcept>

#include "arithmetic.h"
#include "landlord/placement/decimal.h"

namespace landlord::placement {

H100Eq H100Eq::parse(std::string_view text) {
  return H100Eq(parseDecimal(text, kScaleDigits));
}

H100Eq H100Eq::operator+(H100Eq other) const {
  return H100Eq(detail::narrow(detail::Wide{units_} + other.units_, "H100-eq overflow"));
}

H100Eq H100Eq::operator-(H100Eq other) const {
  return H100Eq(detail::narrow(detail::Wide{units_} - other.units_, "H100-eq overflow"));
}

H100Eq H100Eq::times(std::int64_t count) const {
  return H100Eq(detail::narrow(detail::Wide{units_} * count, "H100-eq overflow"));
}

namespace {

int significantPlaces(std::int64_t units, int scaleDigits) {
  int places = scaleDigits;
  while (places > 0 && units % 10 == 0) {
    units /= 10;
    --places;
  }
  return places;
}

}  // namespace

std::string H100Eq::format() const {
  return formatDecimal(units_, kScaleDigits,
                       {.places = significantPlaces(units_, kScaleDigits), .groupThousands = true});
}

std::string H100Eq::plain() const {
  return formatDecimal(units_, kScaleDigits, {.places = significantPlaces(units_, kScaleDigits)});
}

bool Ratio::equals(const Ratio& other) const {
  return detail::Wide{numerator} * other.denominator == detail::Wide{other.numerator} * denominator;
}

std::string Ratio::format(int places) const {
  if (denominator <= 0 || places < 0 || places > 12) {
    throw std::invalid_argument("Ratio::format: bad ratio or places");
  }
  const detail::Wide scaled =
      detail::divideRounded(detail::Wide{numerator} * detail::powerOfTen(places), denominator);
  return formatDecimal(detail::narrow(scaled, "ratio overflow"), places, {.places = places});
}

}  // namespace landlord::placement
