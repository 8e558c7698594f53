#include "landlord/placement/lease.h"

#include <gtest/gtest.h>

#include <vector>

namespace landlord::placement {
namespace {

LeaseFacts lease(std::string name, std::string tenant, LeasePhase phase,
                 std::optional<std::string> supersedes = std::nullopt) {
  return {.name = std::move(name),
          .pool = "colossus-1",
          .tenant = std::move(tenant),
          .phase = phase,
          .supersedes = std::move(supersedes)};
}

TEST(LeaseTest, LivePhasesHoldThePool) {
  EXPECT_FALSE(isLive(LeasePhase::Pending));
  EXPECT_TRUE(isLive(LeasePhase::Provisioning));
  EXPECT_TRUE(isLive(LeasePhase::Active));
  EXPECT_TRUE(isLive(LeasePhase::Releasing));
  EXPECT_FALSE(isLive(LeasePhase::Released));
  EXPECT_FALSE(isLive(LeasePhase::Failed));
}

TEST(LeaseTest, PhaseAndPurposeNamesRoundTrip) {
  for (LeasePhase phase : {LeasePhase::Pending, LeasePhase::Provisioning, LeasePhase::Active,
                           LeasePhase::Releasing, LeasePhase::Released, LeasePhase::Failed}) {
    EXPECT_EQ(parseLeasePhase(toString(phase)), phase);
  }
  EXPECT_EQ(parseLeasePurpose("inference"), LeasePurpose::Inference);
  EXPECT_EQ(parseLeasePurpose("any"), LeasePurpose::Any);
  EXPECT_FALSE(parseLeasePurpose("Training").has_value());
  EXPECT_FALSE(parseLeasePhase("active").has_value());
}

TEST(LeaseTest, FreePoolAdmitsALease) {
  const std::vector<LeaseFacts> others{lease("old", "owner", LeasePhase::Released)};
  const ExclusivityVerdict verdict =
      checkExclusivity(lease("new", "lessee", LeasePhase::Pending), others);
  EXPECT_EQ(verdict.outcome, ExclusivityOutcome::Admit);
}

TEST(LeaseTest, HeldPoolRejectsALeaseThatDoesNotSupersede) {
  const std::vector<LeaseFacts> others{lease("owner-c1", "owner", LeasePhase::Active)};
  const ExclusivityVerdict verdict =
      checkExclusivity(lease("new", "lessee", LeasePhase::Pending), others);
  EXPECT_EQ(verdict.outcome, ExclusivityOutcome::Reject);
  EXPECT_EQ(verdict.reason,
            "pool \"colossus-1\" is held by lease \"owner-c1\" (tenant \"owner\", Active); set "
            "spec.supersedes: owner-c1 to take it over");
}

TEST(LeaseTest, SupersedingTheLiveLeaseStartsAHandover) {
  const std::vector<LeaseFacts> others{lease("owner-c1", "owner", LeasePhase::Active)};
  const ExclusivityVerdict verdict =
      checkExclusivity(lease("new", "lessee", LeasePhase::Pending, "owner-c1"), others);
  EXPECT_EQ(verdict.outcome, ExclusivityOutcome::Handover);
  EXPECT_EQ(verdict.superseded, "owner-c1");
}

TEST(LeaseTest, SupersedingAReleasedLeaseSimplyAdmits) {
  const std::vector<LeaseFacts> others{lease("owner-c1", "owner", LeasePhase::Released)};
  EXPECT_EQ(
      checkExclusivity(lease("new", "lessee", LeasePhase::Pending, "owner-c1"), others).outcome,
      ExclusivityOutcome::Admit);
}

TEST(LeaseTest, OnlyOneLeaseMaySupersedeAnother) {
  const std::vector<LeaseFacts> others{
      lease("owner-c1", "owner", LeasePhase::Releasing),
      lease("first", "lessee", LeasePhase::Provisioning, "owner-c1"),
  };
  const ExclusivityVerdict verdict =
      checkExclusivity(lease("second", "rival", LeasePhase::Pending, "owner-c1"), others);
  EXPECT_EQ(verdict.outcome, ExclusivityOutcome::Reject);
  EXPECT_EQ(verdict.reason,
            "pool \"colossus-1\" is held by lease \"first\" (tenant \"lessee\", Provisioning), "
            "which already supersedes \"owner-c1\"");
}

TEST(LeaseTest, SupersedingAnUnknownLeaseIsRejected) {
  const std::vector<LeaseFacts> others{lease("owner-c1", "owner", LeasePhase::Active)};
  const ExclusivityVerdict verdict =
      checkExclusivity(lease("new", "lessee", LeasePhase::Pending, "typo"), others);
  EXPECT_EQ(verdict.outcome, ExclusivityOutcome::Reject);
  EXPECT_EQ(verdict.reason,
            "spec.supersedes names lease \"typo\", which does not hold pool \"colossus-1\"");
}

TEST(LeaseTest, LeasesOnOtherPoolsAndTheCandidateItselfAreIgnored) {
  LeaseFacts elsewhere = lease("other", "owner", LeasePhase::Active);
  elsewhere.pool = "colossus-2";
  const LeaseFacts candidate = lease("new", "lessee", LeasePhase::Pending);
  const std::vector<LeaseFacts> others{elsewhere, candidate};
  EXPECT_EQ(checkExclusivity(candidate, others).outcome, ExclusivityOutcome::Admit);
}

}  // namespace
}  // namespace landlord::placement
