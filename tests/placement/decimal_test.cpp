#include "landlord/placement/decimal.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "landlord/placement/money.h"
#include "landlord/placement/quantities.h"

namespace landlord::placement {
namespace {

TEST(DecimalTest, ParsesExactlyAtScale) {
  EXPECT_EQ(parseDecimal("2.20", 6), 2'200'000);
  EXPECT_EQ(parseDecimal("0.000001", 6), 1);
  EXPECT_EQ(parseDecimal("150000", 4), 1'500'000'000);
  EXPECT_EQ(parseDecimal("0.1", 1), 1);
}

TEST(DecimalTest, RejectsMalformedText) {
  for (const char* bad : {"", ".5", "5.", "-1", "+1", "1e3", "1,000", " 1", "0x10", "1.2.3"}) {
    EXPECT_THROW(parseDecimal(bad, 6), std::invalid_argument) << bad;
  }
  EXPECT_THROW(parseDecimal("0.0000001", 6), std::invalid_argument);
  EXPECT_THROW(parseDecimal("99999999999999999999", 6), std::invalid_argument);
}

TEST(DecimalTest, FormatsRoundingHalfAwayFromZero) {
  EXPECT_EQ(formatDecimal(25'772'727, 7, {.places = 4}), "2.5773");
  EXPECT_EQ(formatDecimal(125, 3, {.places = 2}), "0.13");
  EXPECT_EQ(formatDecimal(-125, 3, {.places = 2}), "-0.13");
  EXPECT_EQ(formatDecimal(124, 3, {.places = 2}), "0.12");
  EXPECT_EQ(formatDecimal(5, 0, {.places = 2}), "5.00");
  EXPECT_EQ(formatDecimal(1'234'567'891, 2, {.places = 0, .groupThousands = true}), "12,345,679");
}

TEST(MoneyTest, FormatsDollarsWithGroupingAndCents) {
  EXPECT_EQ(Money::parse("567000").format(), "$567,000.00");
  EXPECT_EQ(Money::fromMicros(4'999).format(), "$0.00");
  EXPECT_EQ(Money::fromMicros(5'000).format(), "$0.01");
  EXPECT_EQ((Money::fromDollars(1) - Money::fromDollars(3)).format(), "-$2.00");
  EXPECT_EQ(Money::parse("2.2").plain(4), "2.2000");
}

TEST(MoneyTest, ArithmeticIsExactAndOverflowIsAnError) {
  const Money rate = Money::parse("2.90");
  EXPECT_EQ(rate.times(50'000), Money::fromDollars(145'000));
  EXPECT_EQ(Money::parse("0.10") + Money::parse("0.20"), Money::parse("0.30"));
  EXPECT_THROW(Money::fromDollars(9'000'000'000'000).times(10), std::overflow_error);
}

TEST(MoneyTest, AverageRoundsOnceFromExactFigures) {
  EXPECT_EQ(formatAverage(Money::fromDollars(567'000), 220'000, 4), "2.5773");
  // 2.57725 exactly: half rounds away from zero.
  EXPECT_EQ(formatAverage(Money::parse("257725"), 100'000, 4), "2.5773");
  EXPECT_EQ(formatAverage(Money::parse("257724.99"), 100'000, 4), "2.5772");
  EXPECT_THROW(formatAverage(Money::fromDollars(1), 0, 2), std::invalid_argument);
}

TEST(QuantitiesTest, H100EqFormatsWithoutTrailingZeros) {
  EXPECT_EQ(H100Eq::parse("2.25").times(100'000).format(), "225,000");
  EXPECT_EQ(H100Eq::parse("0.32").format(), "0.32");
  EXPECT_EQ(H100Eq::parse("1.5").format(), "1.5");
}

TEST(QuantitiesTest, RatioComparesExactlyAndRounds) {
  EXPECT_TRUE((Ratio{220'000, 250'000}).equals(Ratio{22, 25}));
  EXPECT_FALSE((Ratio{1, 3}).equals(Ratio{333, 1000}));
  EXPECT_EQ((Ratio{22, 25}).format(2), "0.88");
  EXPECT_EQ((Ratio{2, 3}).format(3), "0.667");
}

}  // namespace
}  // namespace landlord::placement
