#include "landlord/placement/pool_model.h"

#include <gtest/gtest.h>

#include "landlord/placement/pool_metrics.h"

namespace landlord::placement {
namespace {

class PoolModelTest : public ::testing::Test {
 protected:
  ModelId id(std::string_view name) const { return *catalog_.findModel(name); }
  PoolMetrics metrics() const { return computeMetrics(pool_.composition(), catalog_); }
  void addNodes(std::string_view prefix, std::string_view product, int count, int gpus) {
    for (int i = 0; i < count; ++i) {
      pool_.upsert({.name = std::string(prefix) + std::to_string(i),
                    .product = std::string(product),
                    .gpus = gpus});
    }
  }

  Catalog catalog_ = Catalog::defaults();
  PoolModel pool_{catalog_};
};

TEST_F(PoolModelTest, CountsNodesAndGpusPerModel) {
  addNodes("h100-", "NVIDIA-H100-80GB-HBM3", 3, 8);
  addNodes("gb200-", "NVIDIA-GB200", 2, 4);
  EXPECT_EQ(pool_.nodeCount(), 5u);
  EXPECT_EQ(pool_.composition().of(id("H100")).gpus, 24);
  EXPECT_EQ(pool_.composition().of(id("GB200")).nodes, 2);
  EXPECT_EQ(pool_.composition().total().gpus, 32);
  const PoolMetrics figures = metrics();
  EXPECT_FALSE(figures.homogeneous);
  EXPECT_EQ(figures.architectures, (std::vector<std::string>{"blackwell", "hopper"}));
  EXPECT_EQ(figures.trainingEq, H100Eq::parse("44"));  // 24 x 1.0 + 8 x 2.5
  EXPECT_TRUE(figures.stragglerEfficiency.equals(Ratio{32, 44}));
}

TEST_F(PoolModelTest, PoolBecomesHomogeneousAsMixedNodesLeave) {
  addNodes("h100-", "NVIDIA-H100-80GB-HBM3", 4, 8);
  addNodes("h200-", "NVIDIA-H200", 2, 8);
  EXPECT_FALSE(metrics().homogeneous);
  EXPECT_TRUE(pool_.remove("h200-0"));
  EXPECT_FALSE(metrics().homogeneous);
  EXPECT_TRUE(pool_.remove("h200-1"));
  const PoolMetrics figures = metrics();
  EXPECT_TRUE(figures.homogeneous);
  EXPECT_EQ(figures.gpus, 32);
  EXPECT_EQ(figures.architectures, std::vector<std::string>{"hopper"});
  EXPECT_TRUE(figures.stragglerEfficiency.equals(Ratio{1, 1}));
  EXPECT_EQ(figures.models.size(), 1u);
}

TEST_F(PoolModelTest, UpdateReplacesPreviousFactsInsteadOfAddingAgain) {
  pool_.upsert({.name = "n1", .product = "NVIDIA-H100-80GB-HBM3", .gpus = 8});
  pool_.upsert(
      {.name = "n1", .product = "NVIDIA-H100-80GB-HBM3", .gpus = 8, .unschedulable = true});
  EXPECT_EQ(pool_.nodeCount(), 1u);
  EXPECT_EQ(pool_.composition().of(id("H100")).gpus, 8);
  EXPECT_EQ(pool_.composition().of(id("H100")).schedulableGpus, 0);
  pool_.upsert({.name = "n1", .product = "NVIDIA-H100-80GB-HBM3", .gpus = 8, .ready = false});
  EXPECT_EQ(pool_.composition().of(id("H100")).schedulableNodes, 0);
  pool_.upsert({.name = "n1", .product = "NVIDIA-H100-80GB-HBM3", .gpus = 8});
  EXPECT_EQ(pool_.composition().of(id("H100")).schedulableGpus, 8);
  // A node relabelled with another product moves between models.
  pool_.upsert({.name = "n1", .product = "NVIDIA-GB200", .gpus = 4});
  EXPECT_EQ(pool_.composition().of(id("H100")).nodes, 0);
  EXPECT_EQ(pool_.composition().of(id("GB200")).gpus, 4);
  EXPECT_TRUE(metrics().homogeneous);
}

TEST_F(PoolModelTest, UnknownProductsAreCountedApartAndBreakHomogeneity) {
  addNodes("h100-", "NVIDIA-H100-80GB-HBM3", 2, 8);
  pool_.upsert({.name = "x1", .product = "NVIDIA-H20", .gpus = 8});
  ASSERT_EQ(pool_.unknownProducts().size(), 1u);
  EXPECT_EQ(pool_.unknownProducts().at("NVIDIA-H20").gpus, 8);
  const PoolMetrics figures = metrics();
  EXPECT_EQ(figures.unknownGpus, 8);
  EXPECT_EQ(figures.gpus, 16);
  EXPECT_FALSE(figures.homogeneous);
  EXPECT_TRUE(pool_.remove("x1"));
  EXPECT_TRUE(pool_.unknownProducts().empty());
  EXPECT_TRUE(metrics().homogeneous);
}

TEST_F(PoolModelTest, RemovingAnUnknownNodeIsANoOp) {
  addNodes("h100-", "NVIDIA-H100-80GB-HBM3", 1, 8);
  EXPECT_FALSE(pool_.remove("missing"));
  EXPECT_EQ(pool_.composition().total().gpus, 8);
}

TEST_F(PoolModelTest, RejectsBadNodeFacts) {
  EXPECT_THROW(pool_.upsert({.name = "", .product = "NVIDIA-H200", .gpus = 8}),
               std::invalid_argument);
  EXPECT_THROW(pool_.upsert({.name = "n", .product = "NVIDIA-H200", .gpus = -1}),
               std::invalid_argument);
  EXPECT_EQ(pool_.nodeCount(), 0u);
}

TEST_F(PoolModelTest, IncrementalStateEqualsRebuildFromScratch) {
  addNodes("a-", "NVIDIA-H100-80GB-HBM3", 50, 8);
  addNodes("b-", "NVIDIA-GB200", 30, 4);
  for (int i = 0; i < 50; i += 3) {
    pool_.remove("a-" + std::to_string(i));
  }
  for (int i = 0; i < 30; i += 2) {
    pool_.upsert({.name = "b-" + std::to_string(i),
                  .product = "NVIDIA-GB200",
                  .gpus = 4,
                  .unschedulable = true});
  }
  PoolModel rebuilt(catalog_);
  for (int i = 0; i < 50; ++i) {
    if (i % 3 != 0) {
      rebuilt.upsert(
          {.name = "a-" + std::to_string(i), .product = "NVIDIA-H100-80GB-HBM3", .gpus = 8});
    }
  }
  for (int i = 0; i < 30; ++i) {
    rebuilt.upsert({.name = "b-" + std::to_string(i),
                    .product = "NVIDIA-GB200",
                    .gpus = 4,
                    .unschedulable = i % 2 == 0});
  }
  EXPECT_EQ(pool_.composition(), rebuilt.composition());
}

TEST_F(PoolModelTest, EmptyPoolHasNoFigures) {
  const PoolMetrics figures = metrics();
  EXPECT_EQ(figures.gpus, 0);
  EXPECT_FALSE(figures.homogeneous);
  EXPECT_EQ(figures.listHourly, Money{});
  EXPECT_EQ(figures.weightedRatePerGpuHour(4), "0");
}

}  // namespace
}  // namespace landlord::placement
