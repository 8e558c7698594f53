// The ownership ledger: per-node standings summed per pool and owner, so a pool's
// progress is read without judging its members again.
#include "landlord/controllers/ownership/ownership_ledger.h"

#include <gtest/gtest.h>

namespace landlord::controllers {
namespace {

constexpr std::uint64_t kOwner = 1;
constexpr std::uint64_t kLessee = 2;

NodeStanding standing(const std::string& pool, std::uint64_t owner, bool converged,
                      std::int64_t podsLeaving = 0) {
  return NodeStanding{.pool = pool,
                      .owner = owner,
                      .converged = converged,
                      .held = false,
                      .blocked = false,
                      .podsLeaving = podsLeaving};
}

TEST(OwnershipLedger, SumsEachPoolAndOwnerApart) {
  OwnershipLedger ledger;
  EXPECT_TRUE(ledger.record("n1", standing("c1", kOwner, true)));
  EXPECT_TRUE(ledger.record("n2", standing("c1", kOwner, false, 3)));
  EXPECT_TRUE(ledger.record("n3", standing("c1", kLessee, true)));
  EXPECT_TRUE(ledger.record("z1", standing("c2", kOwner, true)));
  EXPECT_EQ(ledger.counts("c1", kOwner),
            (StandingCounts{.recorded = 2, .converged = 1, .podsLeaving = 3}));
  EXPECT_EQ(ledger.counts("c1", kLessee), (StandingCounts{.recorded = 1, .converged = 1}));
  EXPECT_EQ(ledger.counts("c2", kOwner), (StandingCounts{.recorded = 1, .converged = 1}));
  EXPECT_EQ(ledger.counts("c3", kOwner), StandingCounts{});
}

TEST(OwnershipLedger, ANewStandingReplacesTheOldInTheSums) {
  OwnershipLedger ledger;
  ledger.record("n1", standing("c1", kOwner, false, 2));
  EXPECT_TRUE(ledger.record("n1", standing("c1", kOwner, true)));
  EXPECT_EQ(ledger.counts("c1", kOwner), (StandingCounts{.recorded = 1, .converged = 1}));
  // Judged against the next owner: it leaves the first owner's sums.
  EXPECT_TRUE(ledger.record("n1", standing("c1", kLessee, false)));
  EXPECT_EQ(ledger.counts("c1", kOwner), StandingCounts{});
  EXPECT_EQ(ledger.counts("c1", kLessee), (StandingCounts{.recorded = 1}));
  // Moved to another pool.
  EXPECT_TRUE(ledger.record("n1", standing("c2", kLessee, true)));
  EXPECT_EQ(ledger.counts("c1", kLessee), StandingCounts{});
  EXPECT_EQ(ledger.counts("c2", kLessee), (StandingCounts{.recorded = 1, .converged = 1}));
}

TEST(OwnershipLedger, TheSameStandingAgainIsNoChange) {
  OwnershipLedger ledger;
  EXPECT_TRUE(ledger.record("n1", standing("c1", kOwner, true)));
  EXPECT_FALSE(ledger.record("n1", standing("c1", kOwner, true)));
  EXPECT_EQ(ledger.counts("c1", kOwner), (StandingCounts{.recorded = 1, .converged = 1}));
}

TEST(OwnershipLedger, AForgottenNodeLeavesItsSums) {
  OwnershipLedger ledger;
  ledger.record("n1", standing("c1", kOwner, true));
  ledger.record("n2", standing("c1", kOwner, true));
  ledger.forget("n1");
  ledger.forget("never-recorded");
  EXPECT_EQ(ledger.counts("c1", kOwner), (StandingCounts{.recorded = 1, .converged = 1}));
  EXPECT_EQ(ledger.size(), 1u);
  ledger.forget("n2");
  EXPECT_EQ(ledger.counts("c1", kOwner), StandingCounts{});
  EXPECT_EQ(ledger.size(), 0u);
}

TEST(OwnershipLedger, HeldAndBlockedAreCounted) {
  OwnershipLedger ledger;
  NodeStanding held = standing("c1", kOwner, true);
  held.held = true;
  NodeStanding blocked = standing("c1", kOwner, false, 1);
  blocked.blocked = true;
  ledger.record("n1", held);
  ledger.record("n2", blocked);
  EXPECT_EQ(
      ledger.counts("c1", kOwner),
      (StandingCounts{.recorded = 2, .converged = 1, .held = 1, .blocked = 1, .podsLeaving = 1}));
}

}  // namespace
}  // namespace landlord::controllers
