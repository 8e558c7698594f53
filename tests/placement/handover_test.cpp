#include "landlord/placement/handover.h"

#include <gtest/gtest.h>

#include "landlord/placement/labels.h"

namespace landlord::placement {
namespace {

const std::string kTenant(kTenantLabel);
const std::string kCordoned(kCordonedByLabel);

ObservedNode leasedNode(std::string name, std::string tenant, std::vector<PodRef> pods = {}) {
  return {.name = std::move(name),
          .labels = {{kTenant, tenant}, {std::string(kPoolLabel), "colossus-1"}},
          .tenantTaint = tenant,
          .unschedulable = false,
          .outgoingPods = std::move(pods)};
}

HandoverInput handover(std::vector<ObservedNode> nodes) {
  return {.pool = "colossus-1",
          .outgoing = LeaseParty{.lease = "owner-c1", .tenant = "owner"},
          .incoming = LeaseParty{.lease = "lessee-c1", .tenant = "lessee"},
          .nodes = std::move(nodes)};
}

// Applies a step the way a controller would, so tests can replay a handover.
void execute(const HandoverStep& step, std::vector<ObservedNode>& nodes) {
  for (ObservedNode& node : nodes) {
    for (const NodeChange& change : step.nodeChanges) {
      if (change.node != node.name) {
        continue;
      }
      if (change.unschedulable) {
        node.unschedulable = *change.unschedulable;
      }
      for (const auto& [key, value] : change.setLabels) {
        node.labels[key] = value;
      }
      for (const std::string& key : change.removeLabels) {
        node.labels.erase(key);
      }
      for (const Taint& taint : change.removeTaints) {
        if (node.tenantTaint == taint.value) {
          node.tenantTaint.reset();
        }
      }
      if (change.addTaint) {
        node.tenantTaint = change.addTaint->value;
      }
    }
    for (const PodEviction& eviction : step.evictions) {
      if (eviction.node == node.name) {
        std::erase(node.outgoingPods, eviction.pod);
      }
    }
  }
}

std::vector<HandoverStage> stages(const HandoverPlan& plan) {
  std::vector<HandoverStage> result;
  for (const HandoverStep& step : plan.steps) {
    result.push_back(step.stage);
  }
  return result;
}

TEST(HandoverTest, FullHandoverIsOrdered) {
  const HandoverPlan plan = planHandover(handover({
      leasedNode("n2", "owner", {{"train", "worker-1"}}),
      leasedNode("n1", "owner", {{"train", "worker-0"}}),
  }));
  EXPECT_FALSE(plan.outgoingReleased);
  ASSERT_EQ(stages(plan),
            (std::vector<HandoverStage>{HandoverStage::Cordon, HandoverStage::Evict,
                                        HandoverStage::Unlabel, HandoverStage::Label,
                                        HandoverStage::Taint, HandoverStage::Uncordon}));
  EXPECT_EQ(plan.steps[0].summary, "Cordon 2 nodes of pool colossus-1 for lease owner-c1");
  EXPECT_EQ(plan.steps[1].summary, "Evict 2 pods of pool colossus-1 for lease owner-c1");
  const HandoverStep& cordon = plan.steps[0];
  EXPECT_EQ(cordon.lease, "owner-c1");
  ASSERT_EQ(cordon.nodeChanges.size(), 2u);
  EXPECT_EQ(cordon.nodeChanges[0].node, "n1");  // deterministic order
  EXPECT_EQ(cordon.nodeChanges[0].unschedulable, true);
  EXPECT_EQ(cordon.nodeChanges[0].setLabels.at(kCordoned), "colossus-1");
  EXPECT_EQ(plan.steps[1].evictions.size(), 2u);
  EXPECT_EQ(plan.steps[1].evictions[0].pod.name, "worker-0");
  const NodeChange& unlabel = plan.steps[2].nodeChanges[0];
  EXPECT_EQ(unlabel.removeLabels, std::vector<std::string>{kTenant});
  EXPECT_EQ(unlabel.removeTaints,
            (std::vector<Taint>{{.key = kTenant, .value = "owner", .effect = "NoSchedule"}}));
  const HandoverStep& label = plan.steps[3];
  EXPECT_EQ(label.lease, "lessee-c1");
  EXPECT_EQ(label.nodeChanges[0].setLabels.at(kTenant), "lessee");
  EXPECT_FALSE(label.nodeChanges[0].addTaint.has_value());
  const HandoverStep& taint = plan.steps[4];
  EXPECT_EQ(taint.lease, "lessee-c1");
  EXPECT_EQ(taint.nodeChanges[0].addTaint,
            (Taint{.key = kTenant, .value = "lessee", .effect = "NoSchedule"}));
  EXPECT_EQ(plan.steps[5].stage, HandoverStage::Uncordon);
  EXPECT_EQ(plan.steps[5].nodeChanges[0].unschedulable, false);
  EXPECT_EQ(plan.steps[5].nodeChanges[0].removeLabels, std::vector<std::string>{kCordoned});
  EXPECT_EQ(toString(HandoverStage::Unlabel), "Unlabel");
}

// Kill the controller after any step: re-planning from what is observed resumes
// where it stopped and converges to the same final state.
TEST(HandoverTest, ResumesFromEveryIntermediateStateAndConverges) {
  std::vector<ObservedNode> nodes{leasedNode("n1", "owner", {{"train", "w0"}}),
                                  leasedNode("n2", "owner"), leasedNode("n3", "owner")};
  int executed = 0;
  for (HandoverPlan plan = planHandover(handover(nodes)); !plan.complete();
       plan = planHandover(handover(nodes))) {
    ASSERT_LT(++executed, 10) << "handover does not converge";
    const HandoverPlan replanned = planHandover(handover(nodes));
    EXPECT_EQ(stages(replanned), stages(plan)) << "planning is not a pure function of state";
    execute(plan.steps.front(), nodes);
  }
  EXPECT_EQ(executed, 6);
  for (const ObservedNode& node : nodes) {
    EXPECT_EQ(node.labels.at(kTenant), "lessee");
    EXPECT_EQ(node.tenantTaint, "lessee");
    EXPECT_FALSE(node.unschedulable);
    EXPECT_FALSE(node.labels.contains(kCordoned));
    EXPECT_EQ(node.labels.at(std::string(kPoolLabel)), "colossus-1");
  }
  EXPECT_TRUE(planHandover(handover(nodes)).outgoingReleased);
}

TEST(HandoverTest, OutgoingIsReleasedOnceNoNodeCarriesItsState) {
  std::vector<ObservedNode> nodes{leasedNode("n1", "owner")};
  HandoverPlan plan = planHandover(handover(nodes));
  execute(plan.steps[0], nodes);  // cordon
  EXPECT_FALSE(planHandover(handover(nodes)).outgoingReleased);
  plan = planHandover(handover(nodes));
  ASSERT_EQ(plan.steps[0].stage, HandoverStage::Unlabel);
  execute(plan.steps[0], nodes);
  plan = planHandover(handover(nodes));
  EXPECT_TRUE(plan.outgoingReleased);
  EXPECT_EQ(plan.steps[0].stage, HandoverStage::Label);
}

TEST(HandoverTest, AdministratorCordonIsLeftInPlace) {
  ObservedNode maintenance = leasedNode("n1", "owner");
  maintenance.unschedulable = true;  // cordoned by someone else, no landlord mark
  std::vector<ObservedNode> nodes{maintenance};
  for (HandoverPlan plan = planHandover(handover(nodes)); !plan.complete();
       plan = planHandover(handover(nodes))) {
    EXPECT_NE(plan.steps.front().stage, HandoverStage::Uncordon);
    execute(plan.steps.front(), nodes);
  }
  EXPECT_TRUE(nodes[0].unschedulable);
  EXPECT_EQ(nodes[0].tenantTaint, "lessee");
}

TEST(HandoverTest, NodesAlreadyHandedOverNeedNothing) {
  ObservedNode done = leasedNode("n1", "lessee");
  const HandoverPlan plan = planHandover(handover({done}));
  EXPECT_TRUE(plan.complete());
  EXPECT_TRUE(plan.outgoingReleased);
}

TEST(HandoverTest, ProvisioningAFreePoolLabelsAndTaints) {
  ObservedNode fresh;
  fresh.name = "n1";
  HandoverInput input = handover({fresh});
  input.outgoing.reset();
  const HandoverPlan plan = planHandover(input);
  EXPECT_EQ(stages(plan),
            (std::vector<HandoverStage>{HandoverStage::Cordon, HandoverStage::Label,
                                        HandoverStage::Taint, HandoverStage::Uncordon}));
  EXPECT_EQ(plan.steps[0].lease, "lessee-c1");
}

TEST(HandoverTest, ReleasingWithoutSuccessorFreesThePool) {
  HandoverInput input = handover({leasedNode("n1", "owner", {{"ns", "p"}})});
  input.incoming.reset();
  std::vector<ObservedNode>& nodes = input.nodes;
  for (HandoverPlan plan = planHandover(input); !plan.complete(); plan = planHandover(input)) {
    EXPECT_NE(plan.steps.front().stage, HandoverStage::Label);
    EXPECT_NE(plan.steps.front().stage, HandoverStage::Taint);
    execute(plan.steps.front(), nodes);
  }
  EXPECT_FALSE(nodes[0].labels.contains(kTenant));
  EXPECT_FALSE(nodes[0].tenantTaint.has_value());
  EXPECT_FALSE(nodes[0].unschedulable);
}

TEST(HandoverTest, ReLeasingToTheSameTenantEvictsNothing) {
  HandoverInput input = handover({leasedNode("n1", "owner", {{"ns", "p"}})});
  input.incoming->tenant = "owner";
  EXPECT_TRUE(planHandover(input).complete());
}

TEST(HandoverTest, NeedsAtLeastOneLease) {
  HandoverInput input = handover({});
  input.outgoing.reset();
  input.incoming.reset();
  EXPECT_THROW(planHandover(input), std::invalid_argument);
}

}  // namespace
}  // namespace landlord::placement
