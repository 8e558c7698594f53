#include "handover_progress.h"

#include <gtest/gtest.h>

namespace landlord::cli {
namespace {

using nlohmann::json;

json lease(const std::string& name, const std::string& phase, json steps = json::array()) {
  return {{"metadata", {{"name", name}}},
          {"spec", {{"pool", "colossus-1"}, {"tenant", "t"}}},
          {"status", {{"phase", phase}, {"progress", {{"steps", steps}}}}}};
}

TEST(HandoverProgressTest, AStepNotRecordedBeforeARecordedOneCountsAsDone) {
  const HandoverView view = viewHandover(
      lease("old", "Releasing", {{{"name", "Evict"}, {"completed", 5}, {"total", 10}}}),
      lease("new", "Pending"));
  EXPECT_EQ(view.state, HandoverState::InProgress);
  EXPECT_EQ(view.percent, 50);  // 1.5 of 3 steps
  EXPECT_EQ(view.activity, "Evicting 5/10 pods of lease old");
}

TEST(HandoverProgressTest, ReleaseStepsOfTheOldLeasesOwnProvisioningAreIgnored) {
  const HandoverView view = viewHandover(
      lease("old", "Releasing",
            {{{"name", "Transfer"}, {"completed", 10}, {"total", 10}, {"completedAt", "t"}},
             {{"name", "Hold"}, {"completed", 0}, {"total", 10}}}),
      lease("new", "Pending"));
  EXPECT_EQ(view.percent, 0);
  EXPECT_EQ(view.activity, "Holding 0/10 nodes of lease old");
}

TEST(HandoverProgressTest, BlockedDrainSaysWhy) {
  json old = lease("old", "Releasing", {{{"name", "Evict"}, {"completed", 1}, {"total", 2}}});
  old["status"]["conditions"] = {
      {{"type", "Drained"},
       {"status", "False"},
       {"reason", "BlockedByDisruptionBudget"},
       {"message", "1 pods to leave, 1 refused by a PodDisruptionBudget"}}};
  EXPECT_EQ(viewHandover(old, lease("new", "Pending")).activity,
            "Evicting 1/2 pods of lease old (1 pods to leave, 1 refused by a PodDisruptionBudget)");
}

TEST(HandoverProgressTest, GoneOldLeaseMeansTheReleaseIsDone) {
  const HandoverView view = viewHandover(nullptr, lease("new", "Pending"));
  EXPECT_EQ(view.percent, 66);
  EXPECT_EQ(view.activity, "Waiting for lease new to claim pool colossus-1");
}

TEST(HandoverProgressTest, NewLeaseDeletedMidwayIsAFailure) {
  const HandoverView view = viewHandover(nullptr, lease("new", "Releasing"));
  EXPECT_EQ(view.state, HandoverState::Failed);
  EXPECT_EQ(view.failure,
            "lease new is Releasing: it was deleted or superseded before it became Active");
}

TEST(HandoverProgressTest, TransferIsTheLastThird) {
  const HandoverView view = viewHandover(
      lease("old", "Released"),
      lease("new", "Provisioning", {{{"name", "Transfer"}, {"completed", 3}, {"total", 4}}}));
  EXPECT_EQ(view.percent, 91);  // 2.75 of 3 steps
  EXPECT_EQ(view.activity, "Transferring 3/4 nodes of lease new");
}

TEST(HandoverProgressTest, ProgressLineDrawsTheBar) {
  HandoverView view;
  view.percent = 52;
  view.activity = "Evicting 130/250 pods of lease a";
  EXPECT_EQ(progressLine(view, 10), "[#####-----]  52% Evicting 130/250 pods of lease a");
}

TEST(HandoverProgressTest, AScheduledLeaseSaysWhenItStartsAndWhatHoldsItBack) {
  json incoming = lease("new", "Scheduled");
  incoming["spec"]["term"] = {{"start", "2026-12-01T00:00:00Z"}};
  HandoverView view = viewHandover(lease("old", "Active"), incoming);
  EXPECT_EQ(view.state, HandoverState::InProgress);
  EXPECT_EQ(view.percent, 0);
  EXPECT_EQ(view.activity,
            "Lease new is Scheduled: it takes pool colossus-1 at 2026-12-01T00:00:00Z");

  incoming["status"]["conditions"] = {{{"type", "Ready"},
                                       {"status", "False"},
                                       {"reason", "DoubleBooked"},
                                       {"message", "overlaps lease other"}}};
  view = viewHandover(lease("old", "Active"), incoming);
  EXPECT_EQ(view.activity,
            "Lease new is Scheduled: it takes pool colossus-1 at 2026-12-01T00:00:00Z "
            "(DoubleBooked: overlaps lease other)");
}

}  // namespace
}  // namespace landlord::cli
