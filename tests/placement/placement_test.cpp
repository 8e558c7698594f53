#include "landlord/placement/placement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace landlord::placement {
namespace {

using ::testing::HasSubstr;

class PlacementTest : public ::testing::Test {
 protected:
  ModelId id(std::string_view name) const { return *catalog_.findModel(name); }

  ModelCapacity capacity(std::string_view model, std::int64_t gpus, std::int64_t reserved = 0) {
    return {.model = id(model),
            .capacityGpus = gpus,
            .reservedGpus = reserved,
            .ratePerGpuHour = catalog_.model(id(model)).listRatePerGpuHour};
  }

  LeasedPool pool(std::string name, std::string tenant, LeasePurpose purpose,
                  std::vector<ModelCapacity> models) {
    const bool homogeneous = models.size() == 1;
    return {.pool = std::move(name),
            .lease = "lease",
            .tenant = std::move(tenant),
            .purpose = purpose,
            .homogeneous = homogeneous,
            .models = std::move(models)};
  }

  PlacementDecision placeFor(const PlacementRequest& request, const CapacityLedger& ledger) {
    return place(request, lab_, ledger, catalog_);
  }

  static PlacementRequest training(std::int64_t gpus, std::vector<std::string> allowed = {}) {
    return {.name = "job",
            .tenant = "lab",
            .workload = WorkloadType::Training,
            .gpus = gpus,
            .allowedModels = std::move(allowed)};
  }
  static PlacementRequest inference(std::int64_t gpus, std::vector<std::string> allowed = {}) {
    return {.name = "serve",
            .tenant = "lab",
            .workload = WorkloadType::Inference,
            .gpus = gpus,
            .allowedModels = std::move(allowed)};
  }

  Catalog catalog_ = Catalog::defaults();
  TenantProfile lab_{.name = "lab", .qualifiedArchitectures = {"hopper", "blackwell"}};
};

TEST_F(PlacementTest, TrainingGoesToTheBestFittingHomogeneousPool) {
  const CapacityLedger ledger({
      pool("big", "lab", LeasePurpose::Training, {capacity("GB200", 20'000)}),
      pool("snug", "lab", LeasePurpose::Any, {capacity("H100", 10'000, 1'000)}),
      pool("mixed", "lab", LeasePurpose::Any, {capacity("H100", 50'000), capacity("H200", 50)}),
  });
  const PlacementDecision decision = placeFor(training(8'192), ledger);
  ASSERT_TRUE(decision.placed) << decision.reason;
  EXPECT_EQ(decision.allocations,
            (std::vector<Allocation>{{.pool = "snug", .model = id("H100"), .gpus = 8'192}}));
  EXPECT_EQ(decision.hourlyCost, Money::parse("2.20").times(8'192));
  EXPECT_EQ(decision.trainingEq, H100Eq::parse("8192"));
}

TEST_F(PlacementTest, TrainingIsAllOrNothingWithASpecificReason) {
  const CapacityLedger ledger({
      pool("colossus-2", "lab", LeasePurpose::Training, {capacity("GB200", 12'000)}),
      pool("small", "lab", LeasePurpose::Training, {capacity("H100", 4'000)}),
      pool("colossus-1", "lab", LeasePurpose::Any,
           {capacity("H100", 100'000), capacity("GB200", 100'000)}),
  });
  const PlacementDecision decision = placeFor(training(16'384), ledger);
  EXPECT_FALSE(decision.placed);
  EXPECT_TRUE(decision.allocations.empty());
  EXPECT_EQ(decision.reason,
            "no homogeneous pool leased to tenant \"lab\" has 16384 free GPUs; largest is "
            "colossus-2 with 12000 free");
}

TEST_F(PlacementTest, TrainingNeverGoesToAMixedPool) {
  const CapacityLedger ledger({pool("colossus-1", "lab", LeasePurpose::Any,
                                    {capacity("H100", 150'000), capacity("H200", 50'000)})});
  const PlacementDecision decision = placeFor(training(8), ledger);
  EXPECT_FALSE(decision.placed);
  EXPECT_EQ(decision.reason,
            "training needs a homogeneous pool, and every pool leased to tenant \"lab\" for "
            "training is mixed: colossus-1 (H100, H200)");
}

TEST_F(PlacementTest, TrainingRespectsQualifiedArchitectures) {
  const CapacityLedger ledger(
      {pool("colossus-2", "lab", LeasePurpose::Training, {capacity("GB200", 110'000)})});
  const TenantProfile hopperOnly{.name = "lab", .qualifiedArchitectures = {"hopper"}};
  const PlacementDecision decision = place(training(8), hopperOnly, ledger, catalog_);
  EXPECT_FALSE(decision.placed);
  EXPECT_EQ(decision.reason,
            "tenant \"lab\" is qualified for hopper, and its homogeneous pools are colossus-2 "
            "(GB200 blackwell)");
}

TEST_F(PlacementTest, TrainingRespectsAllowedModelsAndLeasePurpose) {
  const CapacityLedger ledger({
      pool("b", "lab", LeasePurpose::Training, {capacity("GB200", 1'000)}),
      pool("serve", "lab", LeasePurpose::Inference, {capacity("H100", 1'000)}),
  });
  const PlacementDecision wrongModel = placeFor(training(8, {"H100"}), ledger);
  EXPECT_FALSE(wrongModel.placed);
  EXPECT_EQ(wrongModel.reason,
            "no homogeneous pool leased to tenant \"lab\" has an allowed model (H100); it has b "
            "(GB200 blackwell)");
  const CapacityLedger inferenceOnly(
      {pool("serve", "lab", LeasePurpose::Inference, {capacity("H100", 1'000)})});
  EXPECT_EQ(placeFor(training(8), inferenceOnly).reason,
            "no pool leased to tenant \"lab\" allows training (serve is leased for inference)");
}

TEST_F(PlacementTest, TenantOnlyUsesItsOwnPools) {
  const CapacityLedger ledger(
      {pool("theirs", "other", LeasePurpose::Any, {capacity("H100", 100'000)})});
  const PlacementDecision decision = placeFor(training(8), ledger);
  EXPECT_FALSE(decision.placed);
  EXPECT_EQ(decision.reason, "tenant \"lab\" holds no active pool lease");
}

TEST_F(PlacementTest, RejectsBadRequests) {
  const CapacityLedger ledger({pool("p", "lab", LeasePurpose::Any, {capacity("H100", 8)})});
  EXPECT_EQ(placeFor(training(0), ledger).reason, "spec.gpus must be greater than zero, got 0");
  EXPECT_EQ(placeFor(inference(8, {"H999"}), ledger).reason,
            "allowed model \"H999\" is not in the GPU catalog");
}

TEST_F(PlacementTest, InferencePrefersMixedPoolsThenValuePerDollar) {
  const CapacityLedger ledger({
      pool("a-homogeneous", "lab", LeasePurpose::Any, {capacity("GB200", 10'000)}),
      pool("z-mixed", "lab", LeasePurpose::Inference,
           {capacity("H100", 1'000), capacity("H200", 1'000), capacity("GB200", 500)}),
  });
  const PlacementDecision decision = placeFor(inference(2'000), ledger);
  ASSERT_TRUE(decision.placed) << decision.reason;
  // GB200 3.0/$4.60 > H200 1.5/$2.90 > H100 1.0/$2.20, all from the mixed pool first.
  EXPECT_EQ(decision.allocations, (std::vector<Allocation>{
                                      {.pool = "z-mixed", .model = id("GB200"), .gpus = 500},
                                      {.pool = "z-mixed", .model = id("H200"), .gpus = 1'000},
                                      {.pool = "z-mixed", .model = id("H100"), .gpus = 500},
                                  }));
  EXPECT_EQ(decision.inferenceEq, H100Eq::parse("3500"));
}

TEST_F(PlacementTest, InferenceSpansPoolsWhenOneIsNotEnough) {
  const CapacityLedger ledger({
      pool("homogeneous", "lab", LeasePurpose::Any, {capacity("H100", 1'000)}),
      pool("mixed", "lab", LeasePurpose::Inference,
           {capacity("H100", 100, 50), capacity("H200", 100)}),
  });
  const PlacementDecision decision = placeFor(inference(300), ledger);
  ASSERT_TRUE(decision.placed) << decision.reason;
  EXPECT_EQ(decision.allocations, (std::vector<Allocation>{
                                      {.pool = "mixed", .model = id("H200"), .gpus = 100},
                                      {.pool = "mixed", .model = id("H100"), .gpus = 50},
                                      {.pool = "homogeneous", .model = id("H100"), .gpus = 150},
                                  }));
}

TEST_F(PlacementTest, InferenceWithNegotiatedFlatRatePrefersTheFastestGpus) {
  LeasedPool flat =
      pool("mixed", "lab", LeasePurpose::Inference, {capacity("H100", 100), capacity("H200", 100)});
  for (ModelCapacity& model : flat.models) {
    model.ratePerGpuHour = Money::parse("2.00");
  }
  const PlacementDecision decision = placeFor(inference(100), CapacityLedger({flat}));
  ASSERT_TRUE(decision.placed);
  EXPECT_EQ(decision.allocations.front().model, id("H200"));
  EXPECT_EQ(decision.hourlyCost, Money::fromDollars(200));
}

TEST_F(PlacementTest, InferenceReportsCapacityShortfallPerPool) {
  const CapacityLedger ledger({
      pool("a", "lab", LeasePurpose::Inference, {capacity("H100", 800), capacity("H200", 200)}),
      pool("b", "lab", LeasePurpose::Training, {capacity("H100", 5'000)}),
      pool("c", "lab", LeasePurpose::Any, {capacity("GB200", 100, 40)}),
  });
  const PlacementDecision decision = placeFor(inference(2'000), ledger);
  EXPECT_FALSE(decision.placed);
  EXPECT_EQ(decision.reason,
            "tenant \"lab\" has 1060 free GPUs it may use for inference (a: 1000, c: 60); "
            "requested 2000");
}

TEST_F(PlacementTest, InferenceNeverUsesUnqualifiedArchitectures) {
  const CapacityLedger ledger({pool("m", "lab", LeasePurpose::Inference,
                                    {capacity("H100", 10), capacity("GB200", 1'000)})});
  const TenantProfile hopperOnly{.name = "lab", .qualifiedArchitectures = {"hopper"}};
  const PlacementDecision fits = place(inference(10), hopperOnly, ledger, catalog_);
  ASSERT_TRUE(fits.placed);
  EXPECT_EQ(fits.allocations.size(), 1u);
  EXPECT_EQ(fits.allocations[0].model, id("H100"));
  EXPECT_FALSE(place(inference(11), hopperOnly, ledger, catalog_).placed);
  const TenantProfile ampereOnly{.name = "lab", .qualifiedArchitectures = {"ampere"}};
  EXPECT_THAT(place(inference(1), ampereOnly, ledger, catalog_).reason,
              HasSubstr("tenant \"lab\" is qualified for ampere, and its inference pools hold m"));
}

TEST_F(PlacementTest, DecisionIsIndependentOfPoolOrder) {
  std::vector<LeasedPool> pools{
      pool("p3", "lab", LeasePurpose::Any, {capacity("H100", 100)}),
      pool("p1", "lab", LeasePurpose::Any, {capacity("H100", 100)}),
      pool("p2", "lab", LeasePurpose::Any, {capacity("H100", 100)}),
  };
  const PlacementDecision first = placeFor(training(64), CapacityLedger(pools));
  std::reverse(pools.begin(), pools.end());
  const PlacementDecision second = placeFor(training(64), CapacityLedger(pools));
  ASSERT_TRUE(first.placed);
  EXPECT_EQ(first.allocations, second.allocations);
  EXPECT_EQ(first.allocations[0].pool, "p1");
}

TEST_F(PlacementTest, LedgerReservesAndRefusesOvercommit) {
  CapacityLedger ledger({pool("p", "lab", LeasePurpose::Any, {capacity("H100", 100)})});
  const PlacementDecision decision = placeFor(training(80), ledger);
  ledger.reserve(decision.allocations);
  EXPECT_EQ(ledger.find("p")->freeGpus(), 20);
  EXPECT_FALSE(placeFor(training(80), ledger).placed);
  EXPECT_THROW(ledger.reserve(decision.allocations), std::invalid_argument);
  EXPECT_EQ(ledger.find("p")->freeGpus(), 20);
  ledger.release(decision.allocations);
  EXPECT_EQ(ledger.find("p")->freeGpus(), 100);
  EXPECT_THROW(CapacityLedger({pool("p", "lab", LeasePurpose::Any, {}),
                               pool("p", "x", LeasePurpose::Any, {})}),
               std::invalid_argument);
}

TEST_F(PlacementTest, RestoredReservationsMayExceedShrunkCapacity) {
  CapacityLedger ledger({pool("p", "lab", LeasePurpose::Any, {capacity("H100", 64)})});
  const std::int64_t unattributed =
      ledger.restore({{.pool = "p", .model = id("H100"), .gpus = 80},
                      {.pool = "gone", .model = id("H100"), .gpus = 8},
                      {.pool = "p", .model = id("GB200"), .gpus = 4}});
  EXPECT_EQ(unattributed, 12);
  EXPECT_EQ(ledger.find("p")->models[0].reservedGpus, 80);
  EXPECT_EQ(ledger.find("p")->freeGpus(), 0);
  EXPECT_EQ(placeFor(training(8), ledger).reason,
            "no homogeneous pool leased to tenant \"lab\" has 8 free GPUs; largest is p with 0 "
            "free");
}

TEST_F(PlacementTest, TrainingIsReplacedWhenItsPoolIsHandedOver) {
  CapacityLedger ledger({
      pool("colossus-1", "lab", LeasePurpose::Training, {capacity("H100", 20'000, 18'000)}),
      pool("colossus-2", "lab", LeasePurpose::Training, {capacity("GB200", 12'000, 2'000)}),
  });
  const std::vector<BoundPlacement> bound{
      {training(10'000), {{.pool = "colossus-1", .model = id("H100"), .gpus = 10'000}}},
      {{.name = "small",
        .tenant = "lab",
        .workload = WorkloadType::Training,
        .gpus = 8'000,
        .allowedModels = {}},
       {{.pool = "colossus-1", .model = id("H100"), .gpus = 8'000}}},
      {{.name = "elsewhere",
        .tenant = "lab",
        .workload = WorkloadType::Training,
        .gpus = 2'000,
        .allowedModels = {}},
       {{.pool = "colossus-2", .model = id("GB200"), .gpus = 2'000}}},
      {inference(5), {{.pool = "colossus-1", .model = id("H100"), .gpus = 5}}},
  };
  const std::vector<Replacement> replaced =
      replaceTrainingAfterHandover("colossus-1", bound, lab_, ledger, catalog_);
  ASSERT_EQ(replaced.size(), 2u);
  EXPECT_EQ(replaced[0].placement, "job");  // largest first
  ASSERT_TRUE(replaced[0].decision.placed);
  EXPECT_EQ(replaced[0].decision.allocations[0].pool, "colossus-2");
  EXPECT_EQ(replaced[1].placement, "small");
  EXPECT_FALSE(replaced[1].decision.placed);
  EXPECT_EQ(replaced[1].decision.reason,
            "no homogeneous pool leased to tenant \"lab\" has 8000 free GPUs; largest is "
            "colossus-2 with 0 free");
  EXPECT_EQ(ledger.find("colossus-1"), nullptr);
  EXPECT_EQ(ledger.find("colossus-2")->freeGpus(), 0);
}

}  // namespace
}  // namespace landlord::placement
