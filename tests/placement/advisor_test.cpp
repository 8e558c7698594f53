#include "landlord/placement/advisor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reference_fleet.h"

namespace landlord::placement {
namespace {

using ::testing::HasSubstr;

TEST(AdvisorTest, ReferenceFleetLeasesMixedPoolAndKeepsBlackwell) {
  const Catalog catalog = Catalog::defaults();
  const std::vector<PoolAdvice> advice = advise(testing::referenceFleet(catalog));
  ASSERT_EQ(advice.size(), 2u);

  EXPECT_EQ(advice[0].pool, "colossus-1");
  EXPECT_EQ(advice[0].keptHourly, Money::fromDollars(484'000));
  EXPECT_EQ(advice[0].leasedHourly, Money::fromDollars(567'000));
  EXPECT_EQ(advice[0].recommendation, Recommendation::Lease);
  EXPECT_EQ(advice[0].advantageHourly, Money::fromDollars(83'000));
  EXPECT_EQ(advice[0].efficiencySource, EfficiencySource::StragglerModel);
  EXPECT_THAT(advice[0].rationale,
              HasSubstr("kept $484,000.00/h (250,000 training H100-eq x 0.88 straggler "
                        "efficiency x $2.20) vs leased $567,000.00/h"));

  EXPECT_EQ(advice[1].pool, "colossus-2");
  EXPECT_EQ(advice[1].keptHourly, Money::fromDollars(605'000));
  EXPECT_EQ(advice[1].leasedHourly, Money::fromDollars(506'000));
  EXPECT_EQ(advice[1].recommendation, Recommendation::Keep);
  EXPECT_EQ(advice[1].advantageHourly, Money::fromDollars(99'000));
}

TEST(AdvisorTest, ObservedEfficiencyAndTrainingValueTakePrecedence) {
  const Catalog catalog = Catalog::defaults();
  FleetSpec spec =
      parseFleet(testing::readRepositoryFile("e2e/fleets/reference.yaml"), "reference.yaml");
  spec.trainingValuePerH100EqHour = Money::parse("3.00");
  spec.pools[1].observedTrainingEfficiency = Ratio{5, 10};
  const std::vector<PoolAdvice> advice = advise(resolveFleet(spec, catalog));
  // colossus-1: 220,000 effective H100-eq x $3.00 = $660,000 > $567,000 -> keep.
  EXPECT_EQ(advice[0].keptHourly, Money::fromDollars(660'000));
  EXPECT_EQ(advice[0].recommendation, Recommendation::Keep);
  // colossus-2: 275,000 x 0.5 x $3.00 = $412,500 < $506,000 -> lease.
  EXPECT_EQ(advice[1].keptHourly, Money::fromDollars(412'500));
  EXPECT_EQ(advice[1].efficiencySource, EfficiencySource::Observed);
  EXPECT_EQ(advice[1].recommendation, Recommendation::Lease);
}

TEST(AdvisorTest, TieKeepsThePool) {
  const Catalog catalog = Catalog::defaults();
  // One H100 kept is worth $2.20/h at the default value and leases at $2.20/h.
  const FleetSpec spec = parseFleet(R"(name: tie
pools:
  - name: p
    groups:
      - product: NVIDIA-H100-80GB-HBM3
        gpus: 8
        gpusPerNode: 8
)",
                                    "tie.yaml");
  const std::vector<PoolAdvice> advice = advise(resolveFleet(spec, catalog));
  EXPECT_EQ(advice[0].keptHourly, advice[0].leasedHourly);
  EXPECT_EQ(advice[0].recommendation, Recommendation::Keep);
}

TEST(AdvisorTest, KeptValueRoundsToTheMicroDollarOnce) {
  const Catalog catalog = Catalog::defaults();
  FleetSpec spec = parseFleet(R"(name: odd
pools:
  - name: p
    observedTrainingEfficiency: 0.333333
    groups:
      - product: NVIDIA-A100-SXM4-80GB
        gpus: 1
        gpusPerNode: 1
)",
                              "odd.yaml");
  // 0.32 x 0.333333 x $2.20 = $0.234666432 -> $0.234666.
  EXPECT_EQ(advise(resolveFleet(spec, catalog))[0].keptHourly.micros(), 234'666);
}

}  // namespace
}  // namespace landlord::placement
