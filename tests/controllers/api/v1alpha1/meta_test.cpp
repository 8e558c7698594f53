// Conditions and metadata of the typed API.
#include "landlord/api/v1alpha1/meta.h"

#include <gtest/gtest.h>

#include "landlord/api/v1alpha1/poollease.h"

namespace landlord::api::v1alpha1 {
namespace {

TEST(ConditionTest, ATransitionTimeMovesOnlyWithTheStatus) {
  std::vector<Condition> conditions;
  EXPECT_TRUE(setCondition(conditions, {"Ready", "False", "Pending", "waiting"}, 1, "t1"));
  ASSERT_EQ(conditions.size(), 1u);
  EXPECT_EQ(conditions[0].lastTransitionTime, "t1");
  EXPECT_EQ(conditions[0].observedGeneration, 1);

  // Same status, new reason: changed, but the transition time stays.
  EXPECT_TRUE(setCondition(conditions, {"Ready", "False", "PoolLeased", "held"}, 2, "t2"));
  EXPECT_EQ(conditions[0].lastTransitionTime, "t1");
  EXPECT_EQ(conditions[0].reason, "PoolLeased");
  EXPECT_EQ(conditions[0].observedGeneration, 2);

  // Nothing new: unchanged.
  EXPECT_FALSE(setCondition(conditions, {"Ready", "False", "PoolLeased", "held"}, 2, "t3"));
  EXPECT_EQ(conditions[0].lastTransitionTime, "t1");

  // Another status: a transition.
  EXPECT_TRUE(setCondition(conditions, {"Ready", "True", "Activated", "ok"}, 2, "t4"));
  EXPECT_EQ(conditions[0].lastTransitionTime, "t4");

  EXPECT_TRUE(setCondition(conditions, {"Drained", "True", "Drained", ""}, 2, "t5"));
  EXPECT_EQ(conditions.size(), 2u);
  EXPECT_EQ(findCondition(conditions, "Drained")->lastTransitionTime, "t5");
  EXPECT_EQ(findCondition(conditions, "Ready")->reason, "Activated");
  EXPECT_FALSE(findCondition(conditions, "Placed").has_value());
}

TEST(ConditionTest, AMessageIsCutToWhatTheSchemaAllows) {
  std::vector<Condition> conditions;
  setCondition(conditions, {"Ready", "False", "Long", std::string(40000, 'm')}, 1, "t");
  EXPECT_EQ(conditions[0].message.size(), 32768u);
}

TEST(MetaTest, KeysAreThoseOfTheCaches) {
  ObjectMeta placement;
  placement.name = "train";
  placement.namespace_ = "acme";
  EXPECT_EQ(placement.key(), "acme/train");
  ObjectMeta pool;
  pool.name = "c1";
  EXPECT_EQ(pool.key(), "c1");
}

TEST(MetaTest, AnEventNamesTheObjectByItsKind) {
  PoolLease lease;
  lease.metadata.name = "own";
  lease.metadata.uid = "u-1";
  lease.metadata.resourceVersion = "9";
  const kube::ObjectReference reference = referenceTo(lease);
  EXPECT_EQ(reference.apiVersion, "landlord.dev/v1alpha1");
  EXPECT_EQ(reference.kind, "PoolLease");
  EXPECT_EQ(reference.name, "own");
  EXPECT_EQ(reference.uid, "u-1");
  EXPECT_EQ(reference.resourceVersion, "9");
}

}  // namespace
}  // namespace landlord::api::v1alpha1
