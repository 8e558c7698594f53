#include "landlord/controllers/placements/placement_reconciler.h"

#include "fixture.h"
#include "landlord/controllers/pools/gpupool_reconciler.h"
#include "landlord/controllers/tenants/tenant_reconciler.h"

namespace landlord::controllers::testing {
namespace {

json placementObject(const std::string& ns, const std::string& name, const std::string& type,
                     int gpus) {
  return {{"apiVersion", "landlord.dev/v1alpha1"},
          {"kind", "Placement"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec", {{"workloadType", type}, {"gpus", gpus}}}};
}

class PlacementReconcilerTest : public World {
 protected:
  void SetUp() override {
    add(kube::resources::nodes(), node("m1", "mixed", "NVIDIA-H100-80GB-HBM3", 8));
    add(kube::resources::nodes(), node("m2", "mixed", "NVIDIA-GB200", 4));
    add(kube::resources::nodes(), node("h1", "homo", "NVIDIA-GB200", 4));
    add(kube::resources::nodes(), node("h2", "homo", "NVIDIA-GB200", 4));
    add(api::gpuPools(), pool("mixed", "mixed"));
    add(api::gpuPools(), pool("homo", "homo"));
    GpuPoolReconciler pools(deps());
    reconcile(pools, "", "mixed");
    reconcile(pools, "", "homo");
    add(api::tenants(), tenant("owner", {"train"}));
    add(api::tenants(), tenant("hopper-only", {"old"}, {"hopper"}));
    setActive(lease("own-mixed", "mixed", "owner", "any"), "16.00");
    setActive(lease("own-homo", "homo", "owner", "training"), "36.80");
  }

  void setActive(json object, const std::string& hourly) {
    add(api::poolLeases(), object);
    json stored = get(api::poolLeases(), "", object["metadata"]["name"]);
    stored["status"] = {{"phase", "Active"}, {"gpus", 8}, {"hourlyRate", hourly}};
    fake_.update(api::poolLeases(), stored,
                 kube::UpdateOptions{.fieldManager = "", .dryRun = false, .subresource = "status"});
  }

  json placed(const std::string& ns, const std::string& name) {
    reconcile(reconciler_, ns, name);
    return get(api::placements(), ns, name)["status"];
  }

  PlacementReconciler reconciler_{deps()};
};

TEST_F(PlacementReconcilerTest, TrainingGoesToTheHomogeneousPoolOnly) {
  add(api::placements(), placementObject("train", "pretrain", "training", 8), "train");
  const json status = placed("train", "pretrain");
  EXPECT_EQ(status["phase"], "Bound");
  EXPECT_EQ(status["poolNames"], "homo");
  EXPECT_EQ(status["gpusReserved"], 8);
  EXPECT_EQ(status["tenant"], "owner");
  EXPECT_EQ(status["pools"][0]["lease"], "own-homo");
  EXPECT_EQ(findCondition(status, "Placed")->status, "True");
}

TEST_F(PlacementReconcilerTest, TrainingLargerThanAnyHomogeneousPoolSaysWhy) {
  add(api::placements(), placementObject("train", "huge", "training", 12), "train");
  const json status = placed("train", "huge");
  EXPECT_EQ(status["phase"], "Unplaceable");
  const auto condition = findCondition(status, "Placed");
  EXPECT_EQ(condition->status, "False");
  EXPECT_FALSE(condition->message.empty());
  EXPECT_FALSE(status.contains("pools"));
}

TEST_F(PlacementReconcilerTest, CapacityHeldByAnotherPlacementIsNotGivenTwice) {
  add(api::placements(), placementObject("train", "first", "training", 8), "train");
  add(api::placements(), placementObject("train", "second", "training", 8), "train");
  EXPECT_EQ(placed("train", "first")["phase"], "Bound");
  EXPECT_EQ(placed("train", "second")["phase"], "Unplaceable");
}

TEST_F(PlacementReconcilerTest, LosingThePoolRePlacesTraining) {
  add(api::placements(), placementObject("train", "pretrain", "training", 8), "train");
  ASSERT_EQ(placed("train", "pretrain")["poolNames"], "homo");
  json lost = get(api::poolLeases(), "", "own-homo");
  lost["status"]["phase"] = "Released";
  fake_.update(api::poolLeases(), lost,
               kube::UpdateOptions{.fieldManager = "", .dryRun = false, .subresource = "status"});
  const json status = placed("train", "pretrain");
  EXPECT_EQ(status["phase"], "Unplaceable");  // the mixed pool is never for training
  EXPECT_EQ(findCondition(status, "Placed")->reason, "NoHomogeneousPool");
}

TEST_F(PlacementReconcilerTest, NamespaceNobodyOwns) {
  add(api::placements(), placementObject("stray", "p", "inference", 1), "stray");
  const json status = placed("stray", "p");
  EXPECT_EQ(status["phase"], "Unplaceable");
  EXPECT_EQ(findCondition(status, "Placed")->reason, "NamespaceNotOwned");
}

TEST_F(PlacementReconcilerTest, InferencePrefersTheMixedPool) {
  add(api::placements(), placementObject("train", "serve", "inference", 4), "train");
  const json status = placed("train", "serve");
  EXPECT_EQ(status["phase"], "Bound");
  EXPECT_EQ(status["poolNames"], "mixed");
}

TEST_F(PlacementReconcilerTest, TenantStatusSumsActiveLeases) {
  TenantReconciler tenants(deps());
  reconcile(tenants, "", "owner");
  const json status = get(api::tenants(), "", "owner")["status"];
  EXPECT_EQ(status["activeLeases"], 2);
  EXPECT_EQ(status["gpus"], 16);
  EXPECT_EQ(status["hourlySpend"], "52.80");
  EXPECT_EQ(status["annualisedSpend"], "462528.00");
  EXPECT_EQ(status["leases"].size(), 2u);
}

}  // namespace
}  // namespace landlord::controllers::testing
