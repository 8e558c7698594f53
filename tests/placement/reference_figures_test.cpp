// The figures DESIGN.md and the issue quote for the reference fleet, exactly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "landlord/placement/errors.h"
#include "landlord/placement/lease.h"
#include "reference_fleet.h"

namespace landlord::placement {
namespace {

using ::testing::HasSubstr;

class ReferenceFiguresTest : public ::testing::Test {
 protected:
  const PoolMetrics& pool(std::string_view name) const { return fleet_.findPool(name)->metrics; }

  Catalog catalog_ = Catalog::defaults();
  ResolvedFleet fleet_ = testing::referenceFleet(catalog_);
};

TEST_F(ReferenceFiguresTest, MixedPoolListsAt567000PerHour) {
  const PoolMetrics& mixed = pool("colossus-1");
  EXPECT_EQ(mixed.gpus, 220'000);
  EXPECT_EQ(mixed.nodes, 30'000);
  EXPECT_EQ(mixed.listHourly, Money::fromDollars(567'000));
  EXPECT_EQ(mixed.listHourly.format(), "$567,000.00");
  EXPECT_EQ(mixed.weightedRatePerGpuHour(4), "2.5773");
  EXPECT_EQ(mixed.listAnnual(), Money::fromDollars(4'966'920'000));
  EXPECT_EQ(mixed.listAnnual().format(0), "$4,966,920,000");
}

TEST_F(ReferenceFiguresTest, MixedPoolTrainingFigures) {
  const PoolMetrics& mixed = pool("colossus-1");
  EXPECT_EQ(mixed.trainingEq, H100Eq::parse("250000"));
  EXPECT_EQ(mixed.inferenceEq, H100Eq::parse("285000"));  // 150k + 75k + 60k
  EXPECT_TRUE(mixed.stragglerEfficiency.equals(Ratio{88, 100}));
  EXPECT_EQ(mixed.stragglerEfficiency.format(2), "0.88");
  EXPECT_EQ(mixed.effectiveTrainingEq(), H100Eq::parse("220000"));
  EXPECT_FALSE(mixed.homogeneous);
  EXPECT_EQ(mixed.architectures, (std::vector<std::string>{"blackwell", "hopper"}));
}

TEST_F(ReferenceFiguresTest, HomogeneousPoolFigures) {
  const PoolMetrics& blackwell = pool("colossus-2");
  EXPECT_TRUE(blackwell.homogeneous);
  EXPECT_EQ(blackwell.nodes, 27'500);
  EXPECT_EQ(blackwell.trainingEq, H100Eq::parse("275000"));
  EXPECT_TRUE(blackwell.stragglerEfficiency.equals(Ratio{1, 1}));
  EXPECT_EQ(blackwell.listHourly, Money::fromDollars(506'000));
  EXPECT_EQ(fleet_.trainingEq(), H100Eq::parse("525000"));
}

TEST_F(ReferenceFiguresTest, NegotiatedRateOverridesListPrice) {
  const LeaseRevenue list = leaseRevenue(pool("colossus-1"), std::nullopt);
  EXPECT_EQ(list.hourly, Money::fromDollars(567'000));
  EXPECT_EQ(list.ratePerGpuHour, "2.5773");
  const LeaseRevenue negotiated = leaseRevenue(pool("colossus-1"), Money::parse("2.60"));
  EXPECT_EQ(negotiated.hourly, Money::fromDollars(572'000));
  EXPECT_EQ(negotiated.annual, Money::fromDollars(5'010'720'000));
  EXPECT_EQ(negotiated.ratePerGpuHour, "2.6000");
}

TEST_F(ReferenceFiguresTest, PoolPricingOverrideChangesListRate) {
  FleetSpec spec = parseFleet(testing::readRepositoryFile("e2e/fleets/reference.yaml"), "r.yaml");
  spec.pools[0].pricing.emplace("H100", Money::parse("2.00"));
  const ResolvedFleet priced = resolveFleet(spec, catalog_);
  EXPECT_EQ(priced.pools[0].metrics.listHourly, Money::fromDollars(537'000));
}

TEST(ResolveFleetTest, ReportsEveryUnknownProductWithItsLine) {
  const FleetSpec spec = parseFleet(R"(name: x
pools:
  - name: p1
    groups:
      - product: NVIDIA-H100-80GB-HBM3
        gpus: 8
        gpusPerNode: 8
      - product: NVIDIA-H20
        gpus: 8
        gpusPerNode: 8
  - name: p2
    pricing:
      Z100: "1.00"
    groups:
      - product: NVIDIA-X
        gpus: 4
        gpusPerNode: 4
)",
                                    "x.yaml");
  try {
    resolveFleet(spec, Catalog::defaults());
    FAIL() << "expected ResolveError";
  } catch (const ResolveError& error) {
    const std::string text = error.what();
    EXPECT_THAT(text, HasSubstr("x.yaml:8: pools[0].groups[1].product: unknown GPU product "
                                "\"NVIDIA-H20\""));
    EXPECT_THAT(text, HasSubstr("x.yaml:15: pools[1].groups[0].product: unknown GPU product "
                                "\"NVIDIA-X\""));
    EXPECT_THAT(text, HasSubstr("x.yaml:11: pools[1].pricing.Z100: unknown GPU model \"Z100\""));
  }
}

}  // namespace
}  // namespace landlord::placement
