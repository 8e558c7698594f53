#include "landlord/placement/plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "landlord/placement/errors.h"
#include "reference_fleet.h"

namespace landlord::placement {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kPlan = R"(tenants:
  - name: owner
    qualifiedArchitectures: [hopper, blackwell]
  - name: lessee
    qualifiedArchitectures: [hopper]
leases:
  - pool: colossus-2
    tenant: owner
    purpose: training
  - pool: colossus-1
    tenant: lessee
    purpose: inference
    ratePerGPUHour: "2.60"
requests:
  - name: pretrain
    tenant: owner
    workloadType: training
    gpus: 100000
  - name: too-big
    tenant: owner
    workloadType: training
    gpus: 16384
  - name: chat
    tenant: lessee
    workloadType: inference
    gpus: 200000
)";

class PlanTest : public ::testing::Test {
 protected:
  Catalog catalog_ = Catalog::defaults();
  ResolvedFleet fleet_ = testing::referenceFleet(catalog_);
};

TEST_F(PlanTest, ParsesTenantsLeasesAndRequests) {
  const PlanSpec plan = parsePlan(kPlan, "plan.yaml");
  ASSERT_EQ(plan.tenants.size(), 2u);
  EXPECT_EQ(plan.tenants[1].qualifiedArchitectures, std::vector<std::string>{"hopper"});
  ASSERT_EQ(plan.leases.size(), 2u);
  EXPECT_EQ(plan.leases[0].name, "owner-colossus-2");
  EXPECT_EQ(plan.leases[0].purpose, LeasePurpose::Training);
  EXPECT_EQ(plan.leases[1].ratePerGpuHour, Money::parse("2.60"));
  ASSERT_EQ(plan.requests.size(), 3u);
  EXPECT_EQ(plan.requests[2].request.workload, WorkloadType::Inference);
  EXPECT_EQ(plan.requests[2].line, 23);
}

TEST_F(PlanTest, PlacesInOrderAndReservesCapacity) {
  const PlanResult result = runPlan(parsePlan(kPlan, "plan.yaml"), fleet_, catalog_);
  ASSERT_EQ(result.placements.size(), 3u);
  EXPECT_TRUE(result.placements[0].decision.placed);
  EXPECT_EQ(result.placements[1].decision.reason,
            "no homogeneous pool leased to tenant \"owner\" has 16384 free GPUs; largest is "
            "colossus-2 with 10000 free");
  const PlacementDecision& chat = result.placements[2].decision;
  ASSERT_TRUE(chat.placed) << chat.reason;
  // Qualified for hopper only: all 200,000 Hopper GPUs of colossus-1, no GB200.
  for (const Allocation& allocation : chat.allocations) {
    EXPECT_EQ(catalog_.model(allocation.model).architecture, "hopper");
  }
  EXPECT_EQ(chat.hourlyCost, Money::fromDollars(520'000));  // negotiated $2.60 flat
  EXPECT_EQ(result.ledger.find("colossus-2")->freeGpus(), 10'000);
  EXPECT_EQ(result.ledger.find("colossus-1")->freeGpus(), 20'000);
}

std::string planError(std::string_view yaml) {
  try {
    parsePlan(yaml, "plan.yaml");
  } catch (const ParseError& error) {
    return error.what();
  }
  return "no error";
}

TEST_F(PlanTest, RejectsMalformedPlansNamingTheField) {
  std::string badType(kPlan);
  badType.replace(badType.find("workloadType: inference"), 23, "workloadType: serving");
  EXPECT_EQ(planError(badType),
            "plan.yaml:25: requests[2].workloadType: must be training or inference, got "
            "\"serving\"");
  std::string badPurpose(kPlan);
  badPurpose.replace(badPurpose.find("purpose: training"), 17, "purpose: batch");
  EXPECT_THAT(planError(badPurpose), HasSubstr("plan.yaml:9: leases[0].purpose: must be"));
  std::string badRate(kPlan);
  badRate.replace(badRate.find("\"2.60\""), 6, "\"-1\"");
  EXPECT_THAT(planError(badRate), HasSubstr("plan.yaml:13: leases[1].ratePerGPUHour: "));
}

TEST_F(PlanTest, RejectsLeasesThatBreakExclusivityOrNameUnknownThings) {
  std::string twoLeases(kPlan);
  twoLeases.replace(twoLeases.find("pool: colossus-1"), 16, "pool: colossus-2");
  try {
    runPlan(parsePlan(twoLeases, "plan.yaml"), fleet_, catalog_);
    FAIL() << "expected ResolveError";
  } catch (const ResolveError& error) {
    EXPECT_EQ(std::string(error.what()),
              "plan.yaml:10: lease lessee-colossus-2: pool \"colossus-2\" is held by lease "
              "\"owner-colossus-2\" (tenant \"owner\", Active); set spec.supersedes: "
              "owner-colossus-2 to take it over");
  }
  std::string unknownPool(kPlan);
  unknownPool.replace(unknownPool.find("pool: colossus-1"), 16, "pool: colossus-9");
  EXPECT_THROW(runPlan(parsePlan(unknownPool, "plan.yaml"), fleet_, catalog_), ResolveError);
  std::string unknownTenant(kPlan);
  unknownTenant.replace(unknownTenant.find("tenant: lessee\n    workloadType"), 14,
                        "tenant: nobody");
  try {
    runPlan(parsePlan(unknownTenant, "plan.yaml"), fleet_, catalog_);
    FAIL() << "expected ResolveError";
  } catch (const ResolveError& error) {
    EXPECT_EQ(std::string(error.what()),
              "plan.yaml:23: request chat: tenant \"nobody\" is not listed in tenants");
  }
}

TEST(HundredthScaleTest, DemoFleetKeepsTheReferenceShapeWithWholeEightGpuNodes) {
  const Catalog catalog = Catalog::defaults();
  const ResolvedFleet demo = resolveFleet(
      parseFleet(testing::readRepositoryFile("e2e/fleets/reference-1-100.yaml"), "demo.yaml"),
      catalog);
  const ResolvedFleet full = testing::referenceFleet(catalog);
  ASSERT_EQ(demo.pools.size(), full.pools.size());
  for (std::size_t i = 0; i < full.pools.size(); ++i) {
    EXPECT_EQ(demo.pools[i].metrics.trainingEq.times(100), full.pools[i].metrics.trainingEq);
    EXPECT_TRUE(demo.pools[i].metrics.stragglerEfficiency.equals(
        full.pools[i].metrics.stragglerEfficiency));
  }
  // colossus-2 is exact; colossus-1 trades 4 H200 GPUs for 4 H100 GPUs to keep
  // whole 8-GPU nodes: 1,504 x $2.20 + 496 x $2.90 + 200 x $4.60 = $5,667.20/h.
  EXPECT_EQ(demo.pools[1].metrics.listHourly.times(100), full.pools[1].metrics.listHourly);
  EXPECT_EQ(demo.pools[0].metrics.listHourly, Money::parse("5667.20"));
}

}  // namespace
}  // namespace landlord::placement
