// Which pool and lease updates wake a pool's nodes: those that can change an owner,
// not the status writes a handover makes by the thousand.
#include "landlord/controllers/ownership/ownership_triggers.h"

#include <gtest/gtest.h>

namespace landlord::controllers {
namespace {

// Decoded, as the informer hands it over (and GCC's -O3 sees no member of the
// claim copied before it was written).
api::GpuPool claimedPool() {
  return api::decode<api::GpuPool>(nlohmann::json::parse(R"({
    "apiVersion": "landlord.dev/v1alpha1", "kind": "GPUPool",
    "metadata": {"name": "c1", "generation": 1},
    "spec": {"nodeSelector": {"matchLabels": {"zone": "c1"}}},
    "status": {"gpus": 16, "lease": {"name": "owner-c1", "uid": "u1", "tenant": "owner"}}})"));
}

api::PoolLease activeLease() {
  api::PoolLease lease;
  lease.metadata.name = "owner-c1";
  lease.metadata.uid = "u1";
  lease.metadata.generation = 1;
  lease.spec.pool = "c1";
  lease.spec.tenant = "owner";
  lease.status.phase = "Active";
  return lease;
}

TEST(OwnershipTriggers, PoolStatusCountsWakeNoNode) {
  api::GpuPool after = claimedPool();
  after.status.gpus = 24;
  after.status.nodes = 3;
  after.metadata.resourceVersion = "7";
  EXPECT_FALSE(changesNodeOwners(claimedPool(), after));
}

TEST(OwnershipTriggers, PoolSelectorDeletionAndClaimWakeTheNodes) {
  api::GpuPool selector = claimedPool();
  selector.metadata.generation = 2;
  EXPECT_TRUE(changesNodeOwners(claimedPool(), selector));

  api::GpuPool deleting = claimedPool();
  deleting.metadata.deletionTimestamp = "2026-11-26T00:00:00Z";
  EXPECT_TRUE(changesNodeOwners(claimedPool(), deleting));

  api::GpuPool moved = claimedPool();
  moved.status.lease->name = "lessee-c1";
  moved.status.lease->uid = "u2";
  moved.status.lease->tenant = "lessee";
  EXPECT_TRUE(changesNodeOwners(claimedPool(), moved));

  api::GpuPool recreated = claimedPool();
  recreated.status.lease->uid = "u9";  // same name, another object
  EXPECT_TRUE(changesNodeOwners(claimedPool(), recreated));

  api::GpuPool dropped = claimedPool();
  dropped.status.lease.reset();
  EXPECT_TRUE(changesNodeOwners(claimedPool(), dropped));
}

TEST(OwnershipTriggers, LeaseProgressWakesNoNode) {
  api::PoolLease after = activeLease();
  api::StepProgress transfer;
  transfer.name = "Transfer";
  transfer.completed = 288;
  transfer.total = 300;
  after.status.progress = api::Progress{"Transfer", "288 of 300", {transfer}};
  after.status.hourlyRate = "5667.20";
  after.metadata.resourceVersion = "42";
  EXPECT_FALSE(changesNodeOwners(activeLease(), after));

  api::PoolLease draining = activeLease();
  draining.status.phase = "Releasing";
  draining.status.drain.emplace();
  draining.status.drain->deadline = "t1";
  draining.status.drain->podsRemaining = 5;
  api::PoolLease drained = draining;
  drained.status.drain->podsRemaining = 0;
  EXPECT_FALSE(changesNodeOwners(draining, drained));
}

api::PoolLease leaseIn(const std::string& phase) {
  api::PoolLease lease = activeLease();
  lease.status.phase = phase;
  return lease;
}

TEST(OwnershipTriggers, PhasesThatLeaveTheNodesOwnedWakeNone) {
  const api::PoolLease provisioning = leaseIn("Provisioning");
  EXPECT_FALSE(changesNodeOwners(provisioning, activeLease()));
  EXPECT_FALSE(changesNodeOwners(leaseIn("Pending"), provisioning));
}

TEST(OwnershipTriggers, ReleasingReleasedAndFailedWakeTheNodes) {
  const api::PoolLease releasing = leaseIn("Releasing");
  const api::PoolLease released = leaseIn("Released");
  const api::PoolLease failed = leaseIn("Failed");
  EXPECT_TRUE(changesNodeOwners(releasing, released));
  EXPECT_TRUE(changesNodeOwners(releasing, failed));  // held, but no longer evicting
  EXPECT_TRUE(changesNodeOwners(failed, releasing));
}

TEST(OwnershipTriggers, LeasePhaseSpecDeletionAndDeadlineWakeTheNodes) {
  api::PoolLease releasing = activeLease();
  releasing.status.phase = "Releasing";
  EXPECT_TRUE(changesNodeOwners(activeLease(), releasing));

  api::PoolLease edited = activeLease();
  edited.metadata.generation = 2;  // spec.drain, say
  EXPECT_TRUE(changesNodeOwners(activeLease(), edited));

  api::PoolLease deleting = activeLease();
  deleting.metadata.deletionTimestamp = "2026-11-26T00:00:00Z";
  EXPECT_TRUE(changesNodeOwners(activeLease(), deleting));

  api::PoolLease withDeadline = releasing;
  withDeadline.status.drain.emplace();
  withDeadline.status.drain->deadline = "t1";
  EXPECT_TRUE(changesNodeOwners(releasing, withDeadline));
}

// A pool half-way through giving its nodes to the lessee, as the informer hands it over.
api::GpuPool convergingPool(int converged, const std::string& message) {
  nlohmann::json pool = nlohmann::json::parse(R"({
    "apiVersion": "landlord.dev/v1alpha1", "kind": "GPUPool",
    "metadata": {"name": "c1", "generation": 1, "resourceVersion": "10"},
    "spec": {"nodeSelector": {"matchLabels": {"zone": "c1"}}},
    "status": {"gpus": 16, "nodes": 300, "phase": "Leased",
               "lease": {"name": "lessee-c1", "uid": "u2", "tenant": "lessee"},
               "ownership": {"owner": "lessee", "mode": "Own", "pending": 0},
               "conditions": [{"type": "NodesConverged", "status": "False",
                               "reason": "Converging", "message": ""}]}})");
  pool["status"]["ownership"]["converged"] = converged;
  pool["status"]["ownership"]["pending"] = 300 - converged;
  pool["status"]["conditions"][0]["message"] = message;
  return api::decode<api::GpuPool>(pool);
}

TEST(OwnershipTriggers, PoolProgressCountsAreOnlyProgress) {
  api::GpuPool later = convergingPool(120, "180 of 300 nodes still to bring to tenant lessee");
  later.metadata.resourceVersion = "11";
  EXPECT_TRUE(onlyProgressChanged(convergingPool(100, "200 of 300 nodes ..."), later));
}

TEST(OwnershipTriggers, APoolSettlingOrChangingHandsIsMoreThanProgress) {
  const api::GpuPool before = convergingPool(299, "1 of 300 ...");
  api::GpuPool settled = convergingPool(300, "every node ...");
  settled.status.conditions[0].status = "True";
  settled.status.conditions[0].reason = "Converged";
  EXPECT_FALSE(onlyProgressChanged(before, settled));

  api::GpuPool handedOn = convergingPool(299, "1 of 300 ...");
  handedOn.status.lease->name = "third-c1";
  EXPECT_FALSE(onlyProgressChanged(before, handedOn));

  api::GpuPool grown = convergingPool(299, "1 of 300 ...");
  grown.status.gpus = 24;
  EXPECT_FALSE(onlyProgressChanged(before, grown));
}

api::PoolLease provisioningLease(int completed) {
  nlohmann::json lease = nlohmann::json::parse(R"({
    "apiVersion": "landlord.dev/v1alpha1", "kind": "PoolLease",
    "metadata": {"name": "lessee-c1", "uid": "u2", "generation": 1, "resourceVersion": "20"},
    "spec": {"pool": "c1", "tenant": "lessee", "purpose": "inference"},
    "status": {"phase": "Provisioning",
               "progress": {"step": "Transfer", "summary": "label and taint",
                            "steps": [{"name": "Transfer", "total": 300,
                                       "startedAt": "2026-11-27T00:00:00Z"}]},
               "conditions": [{"type": "Ready", "status": "False", "reason": "Provisioning"}]}})");
  lease["status"]["progress"]["steps"][0]["completed"] = completed;
  lease["status"]["conditions"][0]["message"] =
      std::to_string(300 - completed) + " of 300 nodes of pool c1 still to give to tenant lessee";
  return api::decode<api::PoolLease>(lease);
}

TEST(OwnershipTriggers, LeaseStepCountsAreOnlyProgress) {
  api::PoolLease later = provisioningLease(150);
  later.metadata.resourceVersion = "21";
  EXPECT_TRUE(onlyProgressChanged(provisioningLease(100), later));
}

TEST(OwnershipTriggers, ALeaseChangingPhaseOrFinishingAStepIsMoreThanProgress) {
  const api::PoolLease before = provisioningLease(299);
  api::PoolLease active = provisioningLease(300);
  active.status.phase = "Active";
  EXPECT_FALSE(onlyProgressChanged(before, active));

  api::PoolLease stepDone = provisioningLease(300);
  stepDone.status.progress->steps[0].completedAt = "2026-11-27T00:01:00Z";
  EXPECT_FALSE(onlyProgressChanged(before, stepDone));

  api::PoolLease rerated = provisioningLease(299);
  rerated.status.hourlyRate = "35.20";
  EXPECT_FALSE(onlyProgressChanged(before, rerated));

  api::PoolLease notReady = provisioningLease(299);
  notReady.status.conditions[0].reason = "PoolNotFound";
  EXPECT_FALSE(onlyProgressChanged(before, notReady));
}

}  // namespace
}  // namespace landlord::controllers
