#include "landlord/controllers/projections/taint_list.h"

#include <gtest/gtest.h>

#include "landlord/controllers/projections/node.h"

namespace landlord::controllers {
namespace {

TEST(TaintList, KeepsEveryTaintInTheNodesOrderWithEmptyAndLongFields) {
  const std::vector<NodeTaint> given{{"landlord.dev/tenant", "owner", "NoSchedule"},
                                     {"b", "", "NoExecute"},
                                     {"landlord.dev/tenant", "owner", "NoExecute"},
                                     {std::string(300, 'k'), std::string(200, 'v'), ""}};
  const TaintList taints(given);
  EXPECT_EQ(taints.size(), 4u);
  EXPECT_EQ(taints.toVector(), given);
  auto it = taints.begin();
  ++it;
  EXPECT_EQ(*it, (TaintView{"b", "", "NoExecute"}));
  const TaintList none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.begin(), none.end());
}

TEST(TaintList, EqualOnlyWithTheSameTaintsInTheSameOrder) {
  const NodeTaint a{"a", "1", "NoSchedule"};
  const NodeTaint b{"b", "", "NoSchedule"};
  EXPECT_EQ(TaintList({a, b}), TaintList({a, b}));
  EXPECT_NE(TaintList({a, b}), TaintList({b, a}));
  EXPECT_NE(TaintList({a}), TaintList({a, b}));
  // Field boundaries are kept: "ab"+"" is not "a"+"b".
  EXPECT_NE(TaintList({{"ab", "", "x"}}), TaintList({{"a", "b", "x"}}));
}

TEST(NodeProjection, KeepsEveryTaintAndFindsTheTenantsNoScheduleOne) {
  const nlohmann::json node = {
      {"metadata", {{"name", "n1"}}},
      {"spec",
       {{"taints",
         {{{"key", "landlord.dev/tenant"}, {"value", "acme"}, {"effect", "NoExecute"}},
          {{"key", "gpu"}, {"effect", "NoSchedule"}},
          {{"key", "landlord.dev/tenant"}, {"value", "owner"}, {"effect", "NoSchedule"}}}}}}};
  const NodeInfo info = projectNode(node);
  EXPECT_EQ(info.taints.toVector(),
            (std::vector<NodeTaint>{{"landlord.dev/tenant", "acme", "NoExecute"},
                                    {"gpu", "", "NoSchedule"},
                                    {"landlord.dev/tenant", "owner", "NoSchedule"}}));
  EXPECT_EQ(info.tenantTaint(), "owner");
  EXPECT_FALSE(projectNode({{"metadata", {{"name", "n2"}}}}).tenantTaint());
}

}  // namespace
}  // namespace landlord::controllers
