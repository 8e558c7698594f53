// The ownership ledger: per-node standings summed per pool and owner, so a pool's
// progress is read without judging its members again.
#include "landlord/controllers/ownership/ownership_ledger.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

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

TEST(OwnershipLedger, ANodeInNoPoolIsCountedNowhere) {
  OwnershipLedger ledger;
  EXPECT_TRUE(ledger.record("n1", standing("", kOwner, true)));
  EXPECT_FALSE(ledger.record("n1", standing("", kOwner, true)));
  EXPECT_EQ(ledger.counts("", kOwner), StandingCounts{});
  EXPECT_EQ(ledger.size(), 1u);
  EXPECT_TRUE(ledger.record("n1", standing("c1", kOwner, true)));  // joins a pool
  EXPECT_EQ(ledger.counts("c1", kOwner), (StandingCounts{.recorded = 1, .converged = 1}));
  EXPECT_TRUE(ledger.record("n1", standing("", kOwner, true)));  // and leaves it
  EXPECT_EQ(ledger.counts("c1", kOwner), StandingCounts{});
}

// The sums against a full recount of what each node last recorded, through
// random records and forgets: a sum left behind, or an entry pointing at a sum
// that went, fails here (under ASan, at once).
TEST(OwnershipLedger, SumsMatchARecountThroughRandomChanges) {
  std::mt19937 random(14);
  auto pick = [&random](int n) { return static_cast<int>(random() % n); };
  OwnershipLedger ledger;
  std::map<std::string, NodeStanding> last;
  const std::vector<std::string> pools = {"", "c1", "c2", "c3"};
  for (int step = 0; step < 5000; ++step) {
    const std::string node = "n" + std::to_string(pick(40));
    if (pick(6) == 0) {
      ledger.forget(node);
      last.erase(node);
    } else {
      NodeStanding next = standing(pools[pick(4)], 1 + pick(2), pick(2) == 0, pick(3));
      next.held = pick(3) == 0;
      next.blocked = pick(5) == 0;
      const auto before = last.find(node);
      const bool changes =
          before == last.end() ||
          !(next.pool.empty() && before->second.pool.empty()
                ? next.converged == before->second.converged && next.held == before->second.held &&
                      next.blocked == before->second.blocked &&
                      next.podsLeaving == before->second.podsLeaving
                : next == before->second);
      EXPECT_EQ(ledger.record(node, next), changes) << "step " << step;
      last[node] = next;
    }
    if (step % 50 != 0) {
      continue;
    }
    std::map<std::pair<std::string, std::uint64_t>, StandingCounts> recount;
    for (const auto& [name, kept] : last) {
      if (kept.pool.empty()) {
        continue;
      }
      StandingCounts& sum = recount[{kept.pool, kept.owner}];
      sum.recorded += 1;
      sum.converged += kept.converged ? 1 : 0;
      sum.held += kept.held ? 1 : 0;
      sum.blocked += kept.blocked ? 1 : 0;
      sum.podsLeaving += kept.podsLeaving;
    }
    for (const std::string& pool : pools) {
      for (std::uint64_t owner : {1u, 2u}) {
        const auto expected = recount.find({pool, owner});
        EXPECT_EQ(ledger.counts(pool, owner),
                  expected == recount.end() ? StandingCounts{} : expected->second)
            << "step " << step << ", pool " << pool << ", owner " << owner;
      }
    }
    EXPECT_EQ(ledger.size(), last.size());
  }
}

}  // namespace
}  // namespace landlord::controllers
