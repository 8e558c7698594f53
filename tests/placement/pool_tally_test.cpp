#include "landlord/placement/pool_tally.h"

#include <gtest/gtest.h>

namespace landlord::placement {
namespace {

class PoolTallyTest : public ::testing::Test {
 protected:
  ModelId id(std::string_view name) const { return *catalog_.findModel(name); }

  Catalog catalog_ = Catalog::defaults();
  PoolTally tally_{catalog_};
};

TEST_F(PoolTallyTest, SumsKnownAndUnknownProductsAndTakesBackExactlyWhatWasAdded) {
  const NodeFacts h100{.name = "a", .product = "NVIDIA-H100-80GB-HBM3", .gpus = 8};
  const NodeFacts cordoned{
      .name = "b", .product = "NVIDIA-H100-80GB-HBM3", .gpus = 8, .unschedulable = true};
  const NodeFacts mystery{.name = "c", .product = "ACME-X1", .gpus = 2, .ready = false};
  tally_.add(h100);
  tally_.add(cordoned);
  tally_.add(mystery);
  EXPECT_EQ(tally_.composition().of(id("H100")),
            (ModelTally{.nodes = 2, .gpus = 16, .schedulableNodes = 1, .schedulableGpus = 8}));
  EXPECT_EQ(tally_.composition().unknown(), (ModelTally{.nodes = 1, .gpus = 2}));
  ASSERT_TRUE(tally_.unknownProducts().contains("ACME-X1"));
  EXPECT_EQ(tally_.composition().total().nodes, 3);

  tally_.subtract(mystery);
  EXPECT_FALSE(tally_.unknownProducts().contains("ACME-X1"));
  tally_.subtract(cordoned);
  tally_.subtract(h100);
  EXPECT_EQ(tally_.composition(), Composition(catalog_.size()));
}

TEST_F(PoolTallyTest, RefusesANegativeGpuCountNamingTheNode) {
  try {
    tally_.add({.name = "broken", .product = "NVIDIA-H200", .gpus = -8});
    FAIL() << "a negative GPU count was counted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("\"broken\""), std::string::npos) << e.what();
  }
  EXPECT_EQ(tally_.composition(), Composition(catalog_.size()));
}

}  // namespace
}  // namespace landlord::placement
