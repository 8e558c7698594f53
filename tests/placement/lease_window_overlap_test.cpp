// Lease windows that share time overlap; an empty window (superseded at its own start) never does.
#include <gtest/gtest.h>

#include "landlord/placement/lease_term.h"

namespace landlord::placement {
namespace {

using namespace std::chrono;

TimePoint day(int d) {
  return sys_days{year(2026) / December / d};
}

TEST(LeaseWindowOverlapTest, WindowsSharingTimeOverlapAndTouchingOnesDoNot) {
  EXPECT_TRUE(overlaps({day(1), day(10)}, {day(5), std::nullopt}));
  EXPECT_FALSE(overlaps({day(1), day(5)}, {day(5), day(10)}));  // [from, until): back to back
  const auto shared = overlapOf({day(1), day(10)}, {day(5), std::nullopt});
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->from, day(5));
  EXPECT_EQ(shared->until, day(10));
}

TEST(LeaseWindowOverlapTest, AnEmptyWindowOverlapsNothingEvenInsideAnother) {
  const LeaseWindow empty{day(5), day(5)};
  EXPECT_FALSE(overlaps(empty, {day(1), day(10)}));
  EXPECT_FALSE(overlaps({day(1), std::nullopt}, empty));
  EXPECT_FALSE(overlapOf(empty, {day(1), day(10)}));
}

TEST(LeaseWindowOverlapTest, ADoubleBookingNamesTheLeaseThatHoldsThePoolNotAnEmptyOne) {
  // "a" is superseded by "b" at a's own start, so a holds nothing: a candidate over
  // both collides with b alone, over b's window.
  const std::vector<TermedLease> others = {{"a", "", {day(5), day(20)}},
                                           {"b", "a", {day(5), day(8)}}};
  const auto booking = findDoubleBooking({"c", "", {day(1), day(10)}}, others);
  ASSERT_TRUE(booking);
  EXPECT_EQ(booking->other, "b");
  EXPECT_EQ(booking->overlap.from, day(5));
  EXPECT_EQ(booking->overlap.until, day(8));
  EXPECT_FALSE(findDoubleBooking({"d", "", {day(8), day(10)}}, others));
}

}  // namespace
}  // namespace landlord::placement
