// Lease windows, the double-booking rule and a term's money, with given times.
#include "landlord/placement/lease_term.h"

#include <gtest/gtest.h>

namespace landlord::placement {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

TimePoint day(int y, unsigned m, unsigned d) {
  return sys_days{year{y} / month{m} / std::chrono::day{d}};
}

TEST(LeaseWindowTest, WindowsAreHalfOpenSoOneMayStartWhereAnotherEnds) {
  const LeaseWindow first{day(2026, 12, 1), day(2027, 1, 1)};
  const LeaseWindow next{day(2027, 1, 1), std::nullopt};
  EXPECT_FALSE(overlaps(first, next));
  EXPECT_TRUE(overlaps(first, LeaseWindow{day(2026, 12, 31), day(2027, 2, 1)}));
  EXPECT_TRUE(overlaps(LeaseWindow{day(2026, 1, 1), std::nullopt}, next));  // both open-ended
  const auto shared = overlapOf(first, LeaseWindow{day(2026, 12, 15), std::nullopt});
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->from, day(2026, 12, 15));
  EXPECT_EQ(shared->until, day(2027, 1, 1));
}

TEST(DoubleBookingTest, AnOverlapNamesTheOtherLeaseAndTheSharedWindow) {
  const std::vector<TermedLease> others{{"owner", "", {day(2026, 1, 1), day(2026, 12, 1)}}};
  const auto clash =
      findDoubleBooking({"lessee", "", {day(2026, 11, 1), day(2027, 11, 1)}}, others);
  ASSERT_TRUE(clash);
  EXPECT_EQ(clash->other, "owner");
  EXPECT_EQ(clash->overlap.from, day(2026, 11, 1));
  EXPECT_EQ(clash->overlap.until, day(2026, 12, 1));
  EXPECT_FALSE(findDoubleBooking({"lessee", "", {day(2026, 12, 1), std::nullopt}}, others));
}

TEST(DoubleBookingTest, SupersedingIsAHandoverNotADoubleBooking) {
  const std::vector<TermedLease> others{{"owner", "", {day(2026, 1, 1), std::nullopt}}};
  EXPECT_FALSE(findDoubleBooking({"lessee", "owner", {day(2026, 12, 1), std::nullopt}}, others));
}

TEST(DoubleBookingTest, ASupersededLeaseEndsWhereItsSuccessorStarts) {
  // owner is open-ended, but lessee takes over on 1 December: a third lease may
  // follow lessee's term, not owner's.
  const std::vector<TermedLease> others{{"owner", "", {day(2026, 1, 1), std::nullopt}},
                                        {"lessee", "owner", {day(2026, 12, 1), day(2027, 12, 1)}}};
  EXPECT_FALSE(findDoubleBooking({"later", "", {day(2027, 12, 1), std::nullopt}}, others));
  const auto clash = findDoubleBooking({"early", "", {day(2027, 6, 1), std::nullopt}}, others);
  ASSERT_TRUE(clash);
  EXPECT_EQ(clash->other, "lessee");
}

TEST(TermMoneyTest, ProratesToTheSecondAndSplitsContractIntoAccruedAndRemaining) {
  const Money hourly = Money::parse("5720.00");  // 2,200 GPUs × $2.60
  EXPECT_EQ(prorate(hourly, 30min), Money::parse("2860.00"));
  EXPECT_EQ(prorate(hourly, 1s), Money::parse("1.588888"));
  EXPECT_EQ(prorate(hourly, -1h), Money{});

  const TimePoint start = day(2026, 12, 1);
  const TermValue value = termValue(hourly, start, start, start + 24h * 365, start + 24h * 73);
  EXPECT_EQ(value.contract, Money::parse("50107200.00"));  // × 8,760 h
  EXPECT_EQ(value.accrued, Money::parse("10021440.00"));   // × 1,752 h
  EXPECT_EQ(value.remaining, Money::parse("40085760.00"));

  const TermValue ended = termValue(hourly, start, start, start + 10h, start + 20h);
  EXPECT_EQ(ended.accrued, *ended.contract);
  EXPECT_EQ(ended.remaining, Money{});
  EXPECT_FALSE(termValue(hourly, start, start, std::nullopt, start + 1h).contract);
}

TEST(TermMoneyTest, MonthlyOutlookCountsTheHoursEachLeaseHoldsInEachMonth) {
  const std::vector<EarningWindow> leases{
      {Money::parse("10"), {day(2027, 1, 15), day(2027, 3, 10)}},
      {Money::parse("1"), {day(2027, 2, 1), std::nullopt}}};
  const auto months = monthlyOutlook(leases, day(2027, 1, 1), 4);
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months[0].year, 2027);
  EXPECT_EQ(months[0].month, 1u);
  EXPECT_EQ(months[0].revenue, Money::parse("4080"));  // 17 days × 24 × 10
  EXPECT_EQ(months[1].revenue, Money::parse("7392"));  // 28 × 240 + 28 × 24
  EXPECT_EQ(months[2].revenue, Money::parse("2904"));  // 9 × 240 + 31 × 24
  EXPECT_EQ(months[3].revenue, Money::parse("720"));   // April: 30 × 24
  // Counted from `from`, not from the start of its month.
  const auto fromMid = monthlyOutlook(leases, day(2027, 1, 20), 1);
  EXPECT_EQ(fromMid[0].revenue, Money::parse("2880"));  // 12 days × 240
}

}  // namespace
}  // namespace landlord::placement
