#include "landlord/controllers/pools/gpupool_reconciler.h"

#include "fixture.h"
#include "landlord/controllers/nodes/selector.h"
#include "landlord/controllers/ownership/node_ownership_reconciler.h"

namespace landlord::controllers::testing {
namespace {

class GpuPoolReconcilerTest : public World {
 protected:
  void SetUp() override {
    add(kube::resources::nodes(), node("h100-a", "c1", "NVIDIA-H100-80GB-HBM3", 8));
    add(kube::resources::nodes(), node("h100-b", "c1", "NVIDIA-H100-80GB-HBM3", 8));
    add(kube::resources::nodes(), node("gb200-a", "c1", "NVIDIA-GB200", 4));
    add(kube::resources::nodes(), node("gb200-z", "c2", "NVIDIA-GB200", 4));
    add(api::gpuPools(), pool("c1", "c1"));
    add(api::gpuPools(), pool("c2", "c2"));
  }
  GpuPoolReconciler reconciler_{deps()};
  NodeOwnershipReconciler nodeOwners_{deps()};
};

TEST_F(GpuPoolReconcilerTest, MixedPoolStatusFromItsNodes) {
  EXPECT_EQ(reconcile(reconciler_, "", "c1").kind(), kube::Result::Kind::success);
  const json status = get(api::gpuPools(), "", "c1")["status"];
  EXPECT_EQ(status["nodes"], 3);
  EXPECT_EQ(status["gpus"], 20);
  EXPECT_EQ(status["homogeneous"], false);
  EXPECT_EQ(status["mix"], "Mixed");
  EXPECT_EQ(status["architectures"], json({"blackwell", "hopper"}));
  // 16 H100 × 1.0 + 4 GB200 × 2.5 = 26 H100-eq; efficiency 20 × 1.0 / 26.
  EXPECT_EQ(status["h100Equivalents"]["training"], "26");
  EXPECT_EQ(status["stragglerEfficiency"], "0.7692");
  // 16 × 2.20 + 4 × 4.60 = 53.60 per hour.
  EXPECT_EQ(status["hourlyListRate"], "53.60");
  EXPECT_EQ(status["phase"], "Available");
  ASSERT_EQ(status["composition"].size(), 2u);
  EXPECT_EQ(status["composition"][0]["model"], "H100");
  EXPECT_EQ(status["composition"][0]["gpus"], 16);
  EXPECT_EQ(status["composition"][0]["products"], json({"NVIDIA-H100-80GB-HBM3"}));
  EXPECT_EQ(status["observedGeneration"], 1);
  EXPECT_EQ(findCondition(status, "Ready")->status, "True");
}

TEST_F(GpuPoolReconcilerTest, HomogeneousPool) {
  reconcile(reconciler_, "", "c2");
  const json status = get(api::gpuPools(), "", "c2")["status"];
  EXPECT_EQ(status["gpus"], 4);
  EXPECT_EQ(status["homogeneous"], true);
  EXPECT_EQ(status["mix"], "Homogeneous");
  EXPECT_EQ(status["stragglerEfficiency"], "1");
}

TEST_F(GpuPoolReconcilerTest, APoolCarriesTheFinalizerThatReleasesItsNodes) {
  reconcile(reconciler_, "", "c1");
  EXPECT_EQ(get(api::gpuPools(), "", "c1")["metadata"]["finalizers"],
            json({"landlord.dev/release-nodes"}));
}

TEST_F(GpuPoolReconcilerTest, SecondPassWritesNothing) {
  reconcile(reconciler_, "", "c1");
  const std::size_t patches = countRequests("patch");
  const std::size_t updates = countRequests("update");
  reconcile(reconciler_, "", "c1");
  EXPECT_EQ(countRequests("patch"), patches);
  EXPECT_EQ(countRequests("update"), updates);
}

TEST_F(GpuPoolReconcilerTest, NodeSelectedByTwoPoolsIsCountedInNeither) {
  json overlap = pool("overlap", "c1");
  overlap["spec"]["nodeSelector"] = {{"matchLabels", {{"nvidia.com/gpu.product", "NVIDIA-GB200"}}}};
  add(api::gpuPools(), overlap);
  reconcile(reconciler_, "", "c1");
  reconcile(reconciler_, "", "overlap");
  const json c1 = get(api::gpuPools(), "", "c1")["status"];
  EXPECT_EQ(c1["gpus"], 16);
  EXPECT_EQ(c1["homogeneous"], true);
  EXPECT_EQ(c1["conflictingNodes"]["count"], 1);
  EXPECT_EQ(c1["conflictingNodes"]["pools"], json({"overlap"}));
  EXPECT_EQ(findCondition(c1, "NodesConflict")->status, "True");
  const json other = get(api::gpuPools(), "", "overlap")["status"];
  EXPECT_EQ(other["gpus"], 0);  // gb200-a is also c1's and gb200-z also c2's
  EXPECT_EQ(findCondition(other, "NodesConflict")->status, "True");
  reconcile(nodeOwners_, "", "gb200-a");
  EXPECT_FALSE(get(kube::resources::nodes(), "", "gb200-a")["metadata"]["labels"].contains(
      "landlord.dev/pool"));
}

TEST_F(GpuPoolReconcilerTest, UnknownProductIsReportedNotGuessed) {
  add(kube::resources::nodes(), node("mystery", "c1", "NVIDIA-X999", 8));
  reconcile(reconciler_, "", "c1");
  const json status = get(api::gpuPools(), "", "c1")["status"];
  EXPECT_EQ(status["gpus"], 20);
  ASSERT_EQ(status["unknownProducts"].size(), 1u);
  EXPECT_EQ(status["unknownProducts"][0]["product"], "NVIDIA-X999");
  EXPECT_EQ(status["unknownProducts"][0]["gpus"], 8);
  EXPECT_EQ(findCondition(status, "UnknownGPUProducts")->status, "True");
  reconcile(nodeOwners_, "", "mystery");
  EXPECT_EQ(get(kube::resources::nodes(), "", "mystery")["metadata"]["labels"]["landlord.dev/pool"],
            "c1");
  EXPECT_FALSE(get(kube::resources::nodes(), "", "mystery")["metadata"]["labels"].contains(
      "landlord.dev/gpu-model"));
}

TEST_F(GpuPoolReconcilerTest, PricingOverrideAndUnknownPricingModel) {
  json c2 = get(api::gpuPools(), "", "c2");
  c2["spec"]["pricing"] = {{{"model", "GB200"}, {"ratePerGPUHour", "5.00"}},
                           {{"model", "Z9"}, {"ratePerGPUHour", "1"}}};
  fake_.update(api::gpuPools(), c2);
  reconcile(reconciler_, "", "c2");
  const json status = get(api::gpuPools(), "", "c2")["status"];
  EXPECT_EQ(status["hourlyListRate"], "20.00");
  const auto ready = findCondition(status, "Ready");
  EXPECT_EQ(ready->status, "False");
  EXPECT_EQ(ready->reason, "UnknownPricingModel");
  EXPECT_NE(ready->message.find("Z9"), std::string::npos);
}

TEST_F(GpuPoolReconcilerTest, NodeLeavingThePoolLosesItsLabels) {
  reconcile(reconciler_, "", "c1");
  reconcile(nodeOwners_, "", "h100-b");
  fake_.patch(kube::resources::nodes(), "", "h100-b", kube::PatchType::Merge,
              {{"metadata", {{"labels", {{"topology.kubernetes.io/zone", "elsewhere"}}}}}});
  reconcile(reconciler_, "", "c1");
  reconcile(nodeOwners_, "", "h100-b");
  EXPECT_FALSE(get(kube::resources::nodes(), "", "h100-b")["metadata"]["labels"].contains(
      "landlord.dev/pool"));
  EXPECT_EQ(get(api::gpuPools(), "", "c1")["status"]["gpus"], 12);
}

TEST_F(GpuPoolReconcilerTest, SeriesGoWithTheModelThatLeftAndWithTheDeletedPool) {
  GpuPoolReconciler reconciler(depsWithMetrics());
  reconcile(reconciler, "", "c1");
  reconcile(reconciler, "", "c2");
  ASSERT_NE(scrape().find(R"(landlord_pool_gpus{model="GB200",pool="c1"} 4)"), std::string::npos)
      << scrape();

  fake_.patch(kube::resources::nodes(), "", "gb200-a", kube::PatchType::Merge,
              {{"metadata", {{"labels", {{"topology.kubernetes.io/zone", "elsewhere"}}}}}});
  reconcile(reconciler, "", "c1");
  EXPECT_EQ(scrape().find(R"(model="GB200",pool="c1")"), std::string::npos) << scrape();
  EXPECT_NE(scrape().find(R"(landlord_pool_gpus{model="H100",pool="c1"} 16)"), std::string::npos)
      << scrape();

  fake_.remove(api::gpuPools(), "", "c1");
  reconcile(reconciler, "", "c1");
  EXPECT_EQ(scrape().find(R"(pool="c1")"), std::string::npos) << scrape();
  EXPECT_NE(scrape().find(R"(landlord_pool_gpus{model="GB200",pool="c2"} 4)"), std::string::npos)
      << scrape();
}

TEST_F(GpuPoolReconcilerTest, PoolDeletedWhileNoOperatorRanIsUnlabelledFromTheNodes) {
  // The operator never saw the pool: only the labels its controller once wrote remain.
  json leftBehind = node("left-behind", "c9", "NVIDIA-H100-80GB-HBM3", 8);
  leftBehind["metadata"]["labels"]["landlord.dev/pool"] = "gone";
  leftBehind["metadata"]["labels"]["landlord.dev/gpu-model"] = "H100";
  add(kube::resources::nodes(), leftBehind);
  sync();
  EXPECT_EQ(poolIndex_.orphanLabelledPools(), (std::vector<std::string>{"gone"}));

  EXPECT_EQ(reconcile(nodeOwners_, "", "left-behind").kind(), kube::Result::Kind::success);
  const json labels = get(kube::resources::nodes(), "", "left-behind")["metadata"]["labels"];
  EXPECT_FALSE(labels.contains("landlord.dev/pool"));
  EXPECT_FALSE(labels.contains("landlord.dev/gpu-model"));
  EXPECT_EQ(labels["nvidia.com/gpu.product"], "NVIDIA-H100-80GB-HBM3");
  sync();
  EXPECT_TRUE(poolIndex_.orphanLabelledPools().empty());
}

TEST(SelectorTest, ExpressionsAndLabelsAreAnded) {
  const api::LabelSelector selector{
      .matchLabels = {{"zone", "a"}},
      .matchExpressions = {{.key = "product", .operator_ = "In", .values = {"x", "y"}},
                           {.key = "cordon", .operator_ = "DoesNotExist", .values = {}}}};
  EXPECT_TRUE(selectorMatches(selector, {{"zone", "a"}, {"product", "y"}}));
  EXPECT_FALSE(selectorMatches(selector, {{"zone", "a"}, {"product", "z"}}));
  EXPECT_FALSE(selectorMatches(selector, {{"zone", "a"}, {"product", "x"}, {"cordon", "1"}}));
  EXPECT_FALSE(selectorMatches(api::LabelSelector{}, {{"zone", "a"}}));
}

}  // namespace
}  // namespace landlord::controllers::testing
