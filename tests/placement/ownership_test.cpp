// decideOwnership: the one write and the evictions that bring a node to its owner.
#include "landlord/placement/ownership.h"

#include <gtest/gtest.h>

namespace landlord::placement {
namespace {

NodeMarks ownedBy(const std::string& tenant) {
  return NodeMarks{.pool = "c1",
                   .gpuModel = "H100",
                   .tenant = tenant,
                   .tenantTaints = {{tenant, "NoSchedule"}},
                   .holdTaints = {}};
}

NodeMarks free() {
  return NodeMarks{
      .pool = "c1", .gpuModel = "H100", .tenant = {}, .tenantTaints = {}, .holdTaints = {}};
}

DesiredOwner desired(OwnerMode mode, const std::string& tenant = "") {
  return DesiredOwner{
      .pool = "c1", .gpuModel = "H100", .mode = mode, .tenant = tenant, .evict = true};
}

NodePod podOf(const std::string& tenant, const std::string& name, bool terminating = false) {
  return NodePod{.pod = {tenant + "-ns", name},
                 .tenant = tenant,
                 .exempt = false,
                 .finished = false,
                 .terminating = terminating};
}

// Plays the decisions out as a controller would: each write lands, each evicted
// pod goes. Returns how many writes it took.
int converge(NodeMarks& marks, const DesiredOwner& want, std::vector<NodePod>& pods) {
  int writes = 0;
  for (int round = 0; round < 10; ++round) {
    const OwnershipDecision decision = decideOwnership(marks, want, pods);
    if (decision.state == NodeState::Converged) {
      return writes;
    }
    if (decision.write) {
      marks = *decision.write;
      ++writes;
    }
    for (const PodRef& evicted : decision.evict) {
      std::erase_if(pods, [&](const NodePod& pod) { return pod.pod == evicted; });
    }
  }
  ADD_FAILURE() << "did not converge";
  return writes;
}

TEST(OwnershipTest, AHandoverIsTwoWritesPerNode) {
  NodeMarks marks = ownedBy("owner");
  std::vector<NodePod> pods = {podOf("owner", "train-0"), podOf("owner", "train-1")};
  // The outgoing lease releases: one write holds the node, its pods go.
  const OwnershipDecision first = decideOwnership(marks, desired(OwnerMode::Hold, "owner"), pods);
  ASSERT_TRUE(first.write);
  EXPECT_EQ(first.write->holdTaints, (std::vector<MarkTaint>{{"c1", "NoSchedule"}}));
  EXPECT_EQ(first.write->tenant, "owner");  // the owner's marks stay while it is held
  EXPECT_EQ(first.evict.size(), 2u);
  EXPECT_EQ(converge(marks, desired(OwnerMode::Hold, "owner"), pods), 1);
  EXPECT_TRUE(pods.empty());
  // The incoming lease: one write labels, taints and lifts the hold.
  const OwnershipDecision second = decideOwnership(marks, desired(OwnerMode::Own, "lessee"), pods);
  ASSERT_TRUE(second.write);
  EXPECT_TRUE(second.write->ownedBy("lessee"));
  EXPECT_FALSE(second.write->held());
  EXPECT_EQ(converge(marks, desired(OwnerMode::Own, "lessee"), pods), 1);
  EXPECT_EQ(marks, ownedBy("lessee"));
}

TEST(OwnershipTest, ProvisioningAFreeNodeIsOneWrite) {
  NodeMarks marks = free();
  std::vector<NodePod> pods;
  EXPECT_EQ(converge(marks, desired(OwnerMode::Own, "lessee"), pods), 1);
  EXPECT_EQ(marks, ownedBy("lessee"));
}

TEST(OwnershipTest, ANodeJoiningWithForeignPodsIsHeldUntilTheyAreGone) {
  NodeMarks marks = ownedBy("alpha");
  std::vector<NodePod> pods = {podOf("alpha", "web-0", false), podOf("alpha", "web-1", true)};
  const OwnershipDecision decision = decideOwnership(marks, desired(OwnerMode::Own, "beta"), pods);
  ASSERT_TRUE(decision.write);
  EXPECT_TRUE(decision.write->held());
  EXPECT_EQ(decision.write->tenant, "alpha");  // not beta's before alpha's pods are gone
  EXPECT_TRUE(decision.foreignPods);
  EXPECT_EQ(decision.leaving, 2u);
  EXPECT_EQ(decision.evict, (std::vector<PodRef>{{"alpha-ns", "web-0"}}));  // web-1 is going
  marks = *decision.write;
  pods.erase(pods.begin());
  // Still a pod on its way out: no transfer yet.
  const OwnershipDecision waiting = decideOwnership(marks, desired(OwnerMode::Own, "beta"), pods);
  EXPECT_FALSE(waiting.write);
  EXPECT_EQ(waiting.state, NodeState::Evicting);
  pods.clear();
  const OwnershipDecision transfer = decideOwnership(marks, desired(OwnerMode::Own, "beta"), pods);
  ASSERT_TRUE(transfer.write);
  EXPECT_EQ(*transfer.write, ownedBy("beta"));
}

TEST(OwnershipTest, ForeignPodsOnTheOwnersNodeAreEvictedWithoutAHold) {
  NodeMarks marks = ownedBy("beta");
  const OwnershipDecision decision =
      decideOwnership(marks, desired(OwnerMode::Own, "beta"), {podOf("alpha", "sneaked-in")});
  EXPECT_FALSE(decision.write);
  EXPECT_EQ(decision.state, NodeState::Evicting);
  EXPECT_TRUE(decision.foreignPods);
  EXPECT_EQ(decision.evict.size(), 1u);
}

TEST(OwnershipTest, PodsOfTheOwnerOfNoTenantExemptOrFinishedStay) {
  std::vector<NodePod> pods = {
      podOf("beta", "own"), NodePod{.pod = {"default", "x"}, .tenant = {}},
      NodePod{.pod = {"kube-system", "agent"}, .tenant = "alpha", .exempt = true},
      NodePod{.pod = {"alpha-ns", "done"}, .tenant = "alpha", .finished = true}};
  const OwnershipDecision decision = decideOwnership(free(), desired(OwnerMode::Own, "beta"), pods);
  ASSERT_TRUE(decision.write);
  EXPECT_EQ(*decision.write, ownedBy("beta"));
  EXPECT_TRUE(decision.evict.empty());
  EXPECT_FALSE(decision.foreignPods);
}

TEST(OwnershipTest, AFreedNodeLosesEveryTenantMarkInOneWriteAndKeepsItsPods) {
  NodeMarks marks = ownedBy("alpha");
  marks.holdTaints = {{"c1", "NoSchedule"}};
  marks.tenantTaints.push_back({"alpha", "NoExecute"});
  DesiredOwner nobody{
      .pool = {}, .gpuModel = {}, .mode = OwnerMode::Free, .tenant = "", .evict = true};
  const OwnershipDecision decision = decideOwnership(marks, nobody, {podOf("alpha", "web")});
  ASSERT_TRUE(decision.write);
  EXPECT_EQ(*decision.write, NodeMarks{});
  EXPECT_TRUE(decision.evict.empty());
  EXPECT_EQ(decision.state, NodeState::Writing);
}

TEST(OwnershipTest, ASecondTenantTaintOrAnotherEffectIsNotOwnership) {
  NodeMarks marks = ownedBy("beta");
  marks.tenantTaints.push_back({"alpha", "PreferNoSchedule"});
  EXPECT_FALSE(marks.ownedBy("beta"));
  const OwnershipDecision decision = decideOwnership(marks, desired(OwnerMode::Own, "beta"), {});
  ASSERT_TRUE(decision.write);
  EXPECT_EQ(*decision.write, ownedBy("beta"));
}

TEST(OwnershipTest, AHoldOfAFailedDrainStaysAndEvictsNothing) {
  NodeMarks marks = ownedBy("owner");
  marks.holdTaints = {{"c1", "NoSchedule"}};
  DesiredOwner failed = desired(OwnerMode::Hold, "owner");
  failed.evict = false;
  const OwnershipDecision decision = decideOwnership(marks, failed, {podOf("owner", "blocked")});
  EXPECT_FALSE(decision.write);
  EXPECT_TRUE(decision.evict.empty());
  EXPECT_EQ(decision.state, NodeState::Converged);
}

TEST(OwnershipTest, PoolLabelsGoAlongWithTheWriteOrAlone) {
  NodeMarks marks = ownedBy("beta");
  marks.pool = "old";
  marks.gpuModel.reset();
  const OwnershipDecision relabel = decideOwnership(marks, desired(OwnerMode::Own, "beta"), {});
  ASSERT_TRUE(relabel.write);
  EXPECT_EQ(*relabel.write, ownedBy("beta"));
  NodeMarks unlabelled = free();
  unlabelled.pool.reset();
  const OwnershipDecision provision =
      decideOwnership(unlabelled, desired(OwnerMode::Own, "beta"), {});
  ASSERT_TRUE(provision.write);
  EXPECT_EQ(*provision.write, ownedBy("beta"));  // pool label, model, tenant: one write
}

TEST(OwnershipTest, AConvergedNodeNeedsNothing) {
  const OwnershipDecision decision =
      decideOwnership(ownedBy("beta"), desired(OwnerMode::Own, "beta"), {podOf("beta", "own")});
  EXPECT_FALSE(decision.write);
  EXPECT_EQ(decision.state, NodeState::Converged);
  EXPECT_EQ(decideOwnership(free(), desired(OwnerMode::Free), {}).state, NodeState::Converged);
}

}  // namespace
}  // namespace landlord::placement
