// `landlord calendar` and the terms of `landlord report` on a live (fake) cluster after a scheduled
// handover.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cluster_fixture.h"

namespace landlord::cli {
namespace {

using testing::FakeCluster;
using ::testing::HasSubstr;
using testing::json;
using testing::Outcome;

class CalendarCommandTest : public ::testing::Test {
 protected:
  // The lessee takes colossus-1 on 1 December for a month, then it returns to the
  // owner; the fixture's wall clock reads 26 November 2026, noon.
  void SetUp() override {
    cluster.addReferenceFleet();
    json owner = FakeCluster::activeStatus(300, 2200, "2.576", "5667.20", "49644672.00");
    owner["activatedAt"] = "2026-11-01T00:00:00Z";
    cluster.setStatus(api::poolLeases(), "owner-colossus-1", owner);
    const Outcome handover =
        cluster.run({"handover", "--pool", "colossus-1", "--to", "lessee", "--at",
                     "2026-12-01T00:00:00Z", "--until", "2027-01-01", "--return-to", "owner"});
    ASSERT_EQ(handover.exitCode, 0) << handover.err;
    cluster.setStatus(api::poolLeases(), "lessee-colossus-1", {{"phase", "Scheduled"}});
  }

  FakeCluster cluster;
};

TEST_F(CalendarCommandTest, DrawsTheNextEightWeeksByDefault) {
  const Outcome result = cluster.run({"calendar"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  // 8 weeks in 60 columns of 22h24m, each read at its middle: the lessee's month
  // (4.5 to 35.5 days ahead) covers columns 5 to 37.
  EXPECT_THAT(result.out,
              HasSubstr("Pools from 2026-11-26T12:00:00Z to 2027-01-21T12:00:00Z (UTC), one "
                        "column = 22h24m00s\n"));
  EXPECT_THAT(result.out,
              HasSubstr("\ncolossus-1  ooooo" + std::string(33, 'l') + std::string(22, 'o') +
                        "\ncolossus-2  " + std::string(60, 'o') + "\n"));
  EXPECT_THAT(result.out, HasSubstr("l lessee  o owner  . free\n"));
  EXPECT_THAT(result.out, HasSubstr("lessee-colossus-1         colossus-1  lessee  Scheduled  "
                                    "2026-12-01T00:00:00Z  2027-01-01T00:00:00Z  Return to owner "
                                    "(training)\n"));
  EXPECT_THAT(result.out, HasSubstr("owner-colossus-1          colossus-1  owner   Active     "
                                    "2026-11-01T00:00:00Z  2026-12-01T00:00:00Z  handover to "
                                    "lessee-colossus-1\n"));
}

TEST_F(CalendarCommandTest, JsonOverADateRange) {
  const Outcome result =
      cluster.run({"calendar", "--from", "2026-12-01", "--to", "2026-12-02", "-o", "json"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const json calendar = json::parse(result.out);
  EXPECT_EQ(calendar["from"], "2026-12-01T00:00:00Z");
  EXPECT_EQ(calendar["to"], "2026-12-02T00:00:00Z");
  ASSERT_EQ(calendar["pools"].size(), 2u);
  EXPECT_EQ(calendar["pools"][0]["name"], "colossus-1");
  ASSERT_EQ(calendar["pools"][0]["leases"].size(), 1u);  // the owner's ended at the start
  EXPECT_EQ(calendar["pools"][0]["leases"][0]["name"], "lessee-colossus-1");
  EXPECT_EQ(calendar["pools"][0]["leases"][0]["end"], "2027-01-01T00:00:00Z");
  EXPECT_EQ(calendar["pools"][1]["leases"][0]["name"], "owner-colossus-2");
}

TEST_F(CalendarCommandTest, ToBeforeFromIsAUsageError) {
  const Outcome result = cluster.run({"calendar", "--from", "2026-12-01", "--to", "+1h"});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_THAT(result.err, HasSubstr("landlord calendar: --to: 2026-11-26T13:00:00Z is not after "
                                    "--from 2026-12-01T00:00:00Z\n"));
}

TEST_F(CalendarCommandTest, KubectlPluginHelpListsTheCalendar) {
  CommandRegistry registry("kubectl landlord");
  addCommands(registry, cluster.access());
  std::ostringstream out;
  registry.printHelp(out);
  EXPECT_THAT(out.str(), HasSubstr("calendar"));
  EXPECT_THAT(out.str(), HasSubstr("who holds it when"));
}

TEST_F(CalendarCommandTest, ReportShowsTheTermAndTheOutlook) {
  const Outcome table = cluster.run({"report"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("lessee-colossus-1  lessee  Scheduled  2026-12-01T00:00:00Z  "
                                   "2027-01-01T00:00:00Z  Return to owner (training)"));
  // The fixture's pools carry no GPU count or list rate: the lessee's rate is unknown.
  EXPECT_THAT(table.out, HasSubstr("not counted: lease lessee-colossus-1 has no rate yet"));

  const Outcome json = cluster.run({"report", "-o", "json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  const auto report = nlohmann::json::parse(json.out);
  // November: 108 hours of $5,667.20 (colossus-1, until the handover) + $5,060.00
  // (colossus-2); December: colossus-2's 744 hours only.
  EXPECT_EQ(report["outlook"]["months"][0],
            nlohmann::json({{"month", "2026-11"}, {"revenueUsd", "1158537.60"}}));
  EXPECT_EQ(report["outlook"]["months"][1],
            nlohmann::json({{"month", "2026-12"}, {"revenueUsd", "3764640.00"}}));
  EXPECT_EQ(report["terms"][0]["lease"], "lessee-colossus-1");
}

}  // namespace
}  // namespace landlord::cli
