#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cluster_fixture.h"
#include "landlord/operator/base/errors.h"

namespace landlord::cli {
namespace {

using testing::FakeCluster;
using ::testing::HasSubstr;
using testing::json;
using ::testing::Not;
using testing::Outcome;

json step(const std::string& name, int completed, int total, bool done) {
  json entry = {{"name", name}, {"completed", completed}, {"total", total}};
  if (done) {
    entry["completedAt"] = "2026-11-25T05:00:00Z";
  }
  return entry;
}

json releasing(std::vector<json> steps) {
  return {{"phase", "Releasing"}, {"progress", {{"steps", steps}}}};
}

class HandoverCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { cluster.addReferenceFleet(); }

  void setLease(const std::string& name, const json& status) {
    cluster.setStatus(api::poolLeases(), name, status);
  }

  // The operator's way through a handover, one reconcile between two polls.
  std::vector<std::function<void()>> operatorHandsOver() {
    return {[this] {
              setLease("owner-colossus-1",
                       releasing({step("Hold", 300, 300, true), step("Evict", 2, 4, false)}));
              setLease("lessee-colossus-1", {{"phase", "Pending"}});
            },
            [this] {
              setLease("owner-colossus-1", {{"phase", "Released"}});
              setLease("lessee-colossus-1",
                       {{"phase", "Provisioning"},
                        {"progress", {{"steps", {step("Transfer", 150, 300, false)}}}}});
            },
            [this] {
              setLease("lessee-colossus-1",
                       FakeCluster::activeStatus(300, 2200, "2.60", "5720.00", "50107200.00"));
            }};
  }

  FakeCluster cluster;
};

TEST_F(HandoverCommandTest, CreatesTheSupersedingLeaseAndFollowsItToActive) {
  cluster.script(operatorHandsOver());
  const Outcome result =
      cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee", "--rate", "2.60"});
  ASSERT_EQ(result.exitCode, 0) << result.err;

  const json lease = cluster.client().get(api::poolLeases(), "", "lessee-colossus-1");
  EXPECT_EQ(lease["spec"], json({{"pool", "colossus-1"},
                                 {"tenant", "lessee"},
                                 {"purpose", "inference"},
                                 {"supersedes", "owner-colossus-1"},
                                 {"ratePerGPUHour", "2.60"}}));
  EXPECT_THAT(result.out, HasSubstr("Created PoolLease lessee-colossus-1: tenant lessee takes "
                                    "pool colossus-1 for inference, superseding lease "
                                    "owner-colossus-1\n"));
  EXPECT_THAT(result.out,
              HasSubstr("[--------------------]   0% Waiting for landlord-operator to start "
                        "releasing lease owner-colossus-1\n"));
  EXPECT_THAT(
      result.out,
      HasSubstr("[##########----------]  50% Evicting 2/4 pods of lease owner-colossus-1\n"));
  EXPECT_THAT(result.out, HasSubstr("[################----]  83% Transferring 150/300 nodes of "
                                    "lease lessee-colossus-1\n"));
  EXPECT_THAT(result.out, HasSubstr("[####################] 100% Active\n"));
  EXPECT_THAT(result.out,
              HasSubstr("Lease lessee-colossus-1 is Active: tenant lessee holds pool colossus-1 "
                        "(300 nodes, 2,200 GPUs) at $2.6000 per GPU-hour: $5,720.00 an hour, "
                        "$50,107,200 a year; the handover took 3s\n"));
  EXPECT_THAT(result.out, Not(HasSubstr("\r")));  // not a terminal: plain lines
}

TEST_F(HandoverCommandTest, RedrawsOneLineOnATerminal) {
  cluster.script(operatorHandsOver());
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee"}, true);
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\r\033[K[##########----------]  50% Evicting"));
  EXPECT_THAT(result.out, HasSubstr("\r\033[K[####################] 100% Active\nLease "));
}

TEST_F(HandoverCommandTest, FailedDrainExitsOneWithTheReasonAndTheOperatorsNote) {
  cluster.script({[this] {
    json status = releasing({step("Hold", 300, 300, true), step("Evict", 0, 4, false)});
    status["phase"] = "Failed";
    status["conditions"] = {{{"type", "Ready"},
                             {"status", "False"},
                             {"reason", "Failed"},
                             {"message", "lease is Failed"}},
                            {{"type", "Drained"},
                             {"status", "False"},
                             {"reason", "DrainTimedOut"},
                             {"message", "4 pods left at the deadline"}}};
    setLease("owner-colossus-1", status);
    cluster.client().create(kube::resources::events(), "default",
                            {{"metadata", {{"name", "owner-colossus-1.1"}}},
                             {"type", "Warning"},
                             {"reason", "DrainTimedOut"},
                             {"regarding", {{"kind", "PoolLease"}, {"name", "owner-colossus-1"}}},
                             {"note", "set spec.drain.policy: Force to delete them"}});
  }});
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_THAT(result.err,
              HasSubstr("handover of pool colossus-1 failed: lease owner-colossus-1 (tenant owner) "
                        "is Failed: Drained: DrainTimedOut: 4 pods left at the deadline\n"));
  EXPECT_THAT(result.err,
              HasSubstr("last warning event: set spec.drain.policy: Force to delete them"));
  EXPECT_THAT(result.err, HasSubstr("kubectl describe poollease owner-colossus-1"));
}

TEST_F(HandoverCommandTest, FailedNewLeaseExitsOneWithItsReason) {
  cluster.script({[this] {
    setLease("owner-colossus-1", {{"phase", "Released"}});
    setLease("lessee-colossus-1", {{"phase", "Failed"},
                                   {"conditions",
                                    {{{"type", "Ready"},
                                      {"status", "False"},
                                      {"reason", "ClaimLost"},
                                      {"message", "lease lost its claim on pool colossus-1"}}}}});
  }});
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_THAT(result.err, HasSubstr("lease lessee-colossus-1 (tenant lessee) is Failed: Ready: "
                                    "ClaimLost: lease lost its claim on pool colossus-1"));
}

TEST_F(HandoverCommandTest, TimesOutWhenNothingMoves) {
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee",
                                      "--timeout", "5s", "--watch-interval", "1s"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(cluster.sleeps(), 5);
  EXPECT_THAT(result.err, HasSubstr("handover of pool colossus-1 timed out after 5s at 0%"));
  EXPECT_THAT(result.err, HasSubstr("is landlord-operator running?"));
}

TEST_F(HandoverCommandTest, UnknownTenantNamesTheFlag) {
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "nobody"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(result.err,
            "landlord handover: --to nobody: no Tenant named nobody (tenants: lessee, owner)\n");
  EXPECT_EQ(cluster.client().objects(api::poolLeases()).size(), 2u);
}

TEST_F(HandoverCommandTest, UnknownPoolNamesTheFlag) {
  const Outcome result = cluster.run({"handover", "--pool", "colossus-9", "--to", "lessee"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_THAT(result.err, HasSubstr("--pool colossus-9: no GPUPool named colossus-9 (pools: "
                                    "colossus-1, colossus-2)"));
}

TEST_F(HandoverCommandTest, PoolWithoutLeaseHasNothingToHandOver) {
  cluster.addPool("colossus-3", "", "", json::array(), "0");
  const Outcome result = cluster.run({"handover", "--pool", "colossus-3", "--to", "lessee"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_THAT(result.err, HasSubstr("--pool colossus-3: no lease holds pool colossus-3 (phase "
                                    "Available), so there is nothing to hand over"));
}

TEST_F(HandoverCommandTest, TenantThatAlreadyHoldsThePoolIsRefused) {
  const Outcome result =
      cluster.run({"handover", "--pool", "colossus-1", "--to", "owner", "--name", "owner-again"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_THAT(result.err, HasSubstr("--to owner: tenant owner already holds pool colossus-1 "
                                    "(lease owner-colossus-1)"));
}

TEST_F(HandoverCommandTest, RerunAfterTheHandoverHasNothingToDo) {
  // The default name of a lease for owner on colossus-1 is the lease that holds it.
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "owner"});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out,
            "Nothing to do: lease owner-colossus-1 already holds pool colossus-1 (Active)\n");
}

TEST_F(HandoverCommandTest, RerunFollowsTheLeaseAnEarlierRunCreated) {
  cluster.addLease("lessee-colossus-1", "colossus-1", "lessee", "inference", "owner-colossus-1",
                   nullptr);
  cluster.script(operatorHandsOver());
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("already exists for this handover: following it"));
}

TEST_F(HandoverCommandTest, NameTakenByAnotherLeaseNamesTheFlag) {
  const Outcome result = cluster.run(
      {"handover", "--pool", "colossus-1", "--to", "lessee", "--name", "owner-colossus-2"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_THAT(result.err, HasSubstr("--name owner-colossus-2: PoolLease owner-colossus-2 already "
                                    "exists (pool colossus-2, tenant owner"));
}

TEST_F(HandoverCommandTest, RefusedCreateIsReportedWithContext) {
  cluster.client().setRequestHook([](const std::string& verb, const kube::ResourceRef&,
                                     std::string_view, std::string_view) {
    if (verb == "create") {
      kube::Status status;
      status.code = 403;
      status.reason = "Forbidden";
      status.message = "admission webhook \"poolleases.validate.landlord.dev\" denied the request";
      kube::throwApiError(
          {"https://fake.invalid", "POST", "/apis/landlord.dev/v1alpha1/poolleases"}, status);
    }
  });
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_THAT(result.err,
              HasSubstr("creating PoolLease lessee-colossus-1: POST https://fake.invalid/apis/"
                        "landlord.dev/v1alpha1/poolleases: 403 Forbidden: admission webhook"));
}

TEST_F(HandoverCommandTest, BadDurationIsAUsageError) {
  const Outcome result =
      cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee", "--timeout", "soon"});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_THAT(result.err, HasSubstr("--timeout: \"soon\" is not a duration"));
}

TEST_F(HandoverCommandTest, AtInTheFutureCreatesAScheduledLeaseAndReturnsAtOnce) {
  const Outcome result =
      cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee", "--at",
                   "2026-12-01T00:00:00Z", "--until", "2027-12-01", "--return-to", "owner"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(cluster.sleeps(), 0);  // nothing followed: the operator starts it by itself
  const json lease = cluster.client().get(api::poolLeases(), "", "lessee-colossus-1");
  EXPECT_EQ(lease["spec"]["term"],
            json({{"start", "2026-12-01T00:00:00Z"},
                  {"end", "2027-12-01T00:00:00Z"},
                  {"atEnd", "Return"},
                  {"returnTo", {{"tenant", "owner"}, {"purpose", "training"}}}}));
  EXPECT_EQ(result.out,
            "Scheduled PoolLease lessee-colossus-1: tenant lessee takes pool colossus-1 at "
            "2026-12-01T00:00:00Z for inference, superseding lease owner-colossus-1, until "
            "2027-12-01T00:00:00Z, then returns it to owner for training\n"
            "The operator starts the handover at 2026-12-01T00:00:00Z; follow it with: kubectl "
            "get poollease lessee-colossus-1 owner-colossus-1 -w (or landlord calendar)\n");
}

TEST_F(HandoverCommandTest, UntilAloneReleasesAtTheEndAndFollowsTheHandoverNow) {
  cluster.script(operatorHandsOver());
  const Outcome result =
      cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee", "--until", "+2h"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const json lease = cluster.client().get(api::poolLeases(), "", "lessee-colossus-1");
  // Two hours after the fixture's wall clock, 2026-11-26T12:00:00Z.
  EXPECT_EQ(lease["spec"]["term"], json({{"end", "2026-11-26T14:00:00Z"}, {"atEnd", "Release"}}));
  EXPECT_THAT(result.out, HasSubstr("Created PoolLease lessee-colossus-1: tenant lessee takes pool "
                                    "colossus-1 for inference, superseding lease "
                                    "owner-colossus-1, until 2026-11-26T14:00:00Z, then releases "
                                    "it\n"));
  EXPECT_THAT(result.out, HasSubstr("[####################] 100% Active\n"));
}

TEST_F(HandoverCommandTest, WaitFollowsAScheduledHandoverFromItsStart) {
  auto steps = operatorHandsOver();
  steps.insert(steps.begin(), [this] {
    setLease(
        "lessee-colossus-1",
        {{"phase", "Scheduled"},
         {"conditions",
          {{{"type", "Ready"}, {"status", "False"}, {"reason", "Scheduled"}, {"message", ""}}}}});
  });
  cluster.script(steps);
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee", "--at",
                                      "+30s", "--wait", "--timeout", "5s"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Scheduled PoolLease lessee-colossus-1: tenant lessee takes "
                                    "pool colossus-1 at 2026-11-26T12:00:30Z"));
  EXPECT_THAT(result.out, HasSubstr("[--------------------]   0% Lease lessee-colossus-1 is "
                                    "Scheduled: it takes pool colossus-1 at "
                                    "2026-11-26T12:00:30Z\n"));
  EXPECT_THAT(result.out, HasSubstr("[####################] 100% Active\n"));
}

TEST_F(HandoverCommandTest, RerunOfAScheduledHandoverSaysWhenItStarts) {
  ASSERT_EQ(cluster
                .run({"handover", "--pool", "colossus-1", "--to", "lessee", "--at",
                      "2026-12-01T00:00:00Z"})
                .exitCode,
            0);
  const Outcome rerun = cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee"});
  ASSERT_EQ(rerun.exitCode, 0) << rerun.err;
  EXPECT_THAT(rerun.out, HasSubstr("PoolLease lessee-colossus-1 already exists for this "
                                   "handover: it is Scheduled to take pool colossus-1 at "
                                   "2026-12-01T00:00:00Z\n"));
  EXPECT_EQ(cluster.sleeps(), 0);
}

struct BadTerm {
  std::string name;  // the case, for the test's name
  std::vector<std::string> flags;
  std::string error;
};

class HandoverTermValidationTest : public HandoverCommandTest,
                                   public ::testing::WithParamInterface<BadTerm> {};

TEST_P(HandoverTermValidationTest, IsAUsageErrorNamingTheFlagAndTheReason) {
  std::vector<std::string> args = {"handover", "--pool", "colossus-1", "--to", "lessee"};
  args.insert(args.end(), GetParam().flags.begin(), GetParam().flags.end());
  const Outcome result = cluster.run(args);
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_THAT(result.err, HasSubstr("landlord handover: " + GetParam().error + "\n"));
  EXPECT_EQ(cluster.client().objects(api::poolLeases()).size(), 2u);  // nothing created
}

INSTANTIATE_TEST_SUITE_P(
    BadTerms, HandoverTermValidationTest,
    ::testing::Values(
        BadTerm{"AtInThePast",
                {"--at", "2026-11-01T00:00:00Z"},
                "--at: 2026-11-01T00:00:00Z is in the past (now 2026-11-26T12:00:00Z)"},
        BadTerm{"UntilNotAfterAt",
                {"--at", "2026-12-01", "--until", "2026-12-01T00:00:00Z"},
                "--until: 2026-12-01T00:00:00Z is not after --at 2026-12-01T00:00:00Z"},
        BadTerm{"UntilInThePast",
                {"--until", "2026-11-26T11:00:00Z"},
                "--until: 2026-11-26T11:00:00Z is not in the future (now 2026-11-26T12:00:00Z)"},
        BadTerm{"AtNotATime",
                {"--at", "tomorrow"},
                "--at: \"tomorrow\" is not a time: give RFC 3339 (2026-12-01T00:00:00Z), a date "
                "(2026-12-01) or an offset from now (+30s, +2h)"},
        BadTerm{"AtNotADate",
                {"--at", "2026-02-30"},
                "--at: \"2026-02-30\" is not a time: give RFC 3339 "
                "(2026-12-01T00:00:00Z), a date (2026-12-01) or an "
                "offset from now (+30s, +2h)"},
        BadTerm{"ReturnToWithoutUntil",
                {"--return-to", "owner"},
                "--return-to: needs --until, the time the pool goes back"},
        BadTerm{"ReturnToNotADnsLabel",
                {"--until", "+1h", "--return-to", "Owner"},
                "--return-to: \"Owner\" is not a Tenant name (a DNS-1123 label: lowercase "
                "letters, digits and '-', at most 63)"},
        BadTerm{"ReturnToUnknownPurpose",
                {"--until", "+1h", "--return-to", "owner:gaming"},
                "--return-to: purpose \"gaming\" is not one of inference, training, any"}),
    [](const ::testing::TestParamInfo<BadTerm>& info) { return info.param.name; });

TEST_F(HandoverCommandTest, ReturnToAnUnknownTenantNamesTheFlag) {
  const Outcome result = cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee",
                                      "--until", "+1h", "--return-to", "nobody:inference"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(result.err,
            "landlord handover: --return-to nobody: no Tenant named nobody (tenants: "
            "lessee, owner)\n");
}

}  // namespace
}  // namespace landlord::cli
