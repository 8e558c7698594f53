// The terms part of `landlord report`: each term's money and the twelve-month revenue outlook.
#include "term_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "lease_fixtures.h"
#include "time_input.h"

namespace landlord::cli {
namespace {

using ::testing::HasSubstr;
using testing::lease;
using testing::term;

const placement::TimePoint kNow = *parseApiTime("2026-11-26T12:00:00Z");

api::GpuPool pool(const std::string& name, std::int64_t gpus, const std::string& hourlyList) {
  api::GpuPool pool;
  pool.metadata.name = name;
  pool.status.gpus = gpus;
  pool.status.hourlyListRate = hourlyList;
  return pool;
}

// The owner earns $1,000 an hour on colossus-1 until 1 December, when the lessee's
// year at $2.60 × 2,200 GPUs = $5,720 an hour begins; colossus-2 earns $5,060 an hour.
ClusterSnapshot twelveMonthTerm() {
  ClusterSnapshot snapshot;
  snapshot.pools = {pool("colossus-1", 2200, "5667.20"), pool("colossus-2", 1100, "5060.00")};
  api::PoolLease lessee =
      lease({.name = "lessee-colossus-1",
             .pool = "colossus-1",
             .tenant = "lessee",
             .phase = "Scheduled",
             .created = "2026-11-20T00:00:00Z",
             .supersedes = "owner-colossus-1",
             .term = term("2026-12-01T00:00:00Z", "2027-12-01T00:00:00Z", "owner"),
             .ratePerGPUHour = "2.60"});
  api::TermStatus& money = lessee.status.term.emplace();
  money.contractValue = "50107200.00";
  money.accruedRevenue = "0.00";
  money.remainingValue = "50107200.00";
  snapshot.leases = {lessee,
                     lease({.name = "owner-colossus-1",
                            .pool = "colossus-1",
                            .tenant = "owner",
                            .phase = "Active",
                            .created = "2026-11-01T00:00:00Z",
                            .activatedAt = "2026-11-01T00:05:00Z",
                            .hourlyRate = "1000.00"}),
                     lease({.name = "owner-colossus-2",
                            .pool = "colossus-2",
                            .tenant = "owner",
                            .phase = "Active",
                            .created = "2026-11-01T00:00:00Z",
                            .activatedAt = "2026-11-01T00:05:00Z",
                            .hourlyRate = "5060.00"})};
  return snapshot;
}

TEST(TermReportTest, ShowsEachTermWithItsMoneyAndTheOutlookPerMonth) {
  std::ostringstream out;
  printTermReport(twelveMonthTerm(), kNow, out);
  // November: 108 hours left of $1,000 + $5,060. From December $5,720 + $5,060 =
  // $10,780 an hour: 744 hours in a 31-day month, 720 in a 30-day one, 672 in February.
  EXPECT_EQ(out.str(),
            "\nTerms\n\n"
            "LEASE              TENANT  PHASE      START                 END                   "
            "AT END                         CONTRACT  ACCRUED    REMAINING\n"
            "lessee-colossus-1  lessee  Scheduled  2026-12-01T00:00:00Z  2027-12-01T00:00:00Z  "
            "Return to owner (training)  $50,107,200       $0  $50,107,200\n"
            "\nRevenue outlook from 2026-11-26T12:00:00Z (live and scheduled leases, by calendar "
            "month, UTC)\n\n"
            "MONTH        REVENUE\n"
            "2026-11     $654,480\n"
            "2026-12   $8,020,320\n"
            "2027-01   $8,020,320\n"
            "2027-02   $7,244,160\n"
            "2027-03   $8,020,320\n"
            "2027-04   $7,761,600\n"
            "2027-05   $8,020,320\n"
            "2027-06   $7,761,600\n"
            "2027-07   $8,020,320\n"
            "2027-08   $8,020,320\n"
            "2027-09   $7,761,600\n"
            "2027-10   $8,020,320\n"
            "TOTAL    $87,325,680\n");
}

TEST(TermReportTest, AScheduledLeaseWithoutANegotiatedRateEarnsItsPoolsListRate) {
  ClusterSnapshot snapshot = twelveMonthTerm();
  snapshot.leases[0].spec.ratePerGPUHour = "";
  std::vector<std::string> unpriced;
  const auto windows = earningWindows(snapshot, kNow, unpriced);
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[0].hourly, placement::Money::parse("1000.00"));  // owner-colossus-1
  EXPECT_EQ(windows[1].hourly, placement::Money::parse("5667.20"));  // the lessee at list
  EXPECT_EQ(windows[2].hourly, placement::Money::parse("5060.00"));  // owner-colossus-2
  EXPECT_TRUE(unpriced.empty());
}

TEST(TermReportTest, ALeaseOnAnUnknownPoolIsNotCountedAndSaysSo) {
  ClusterSnapshot snapshot = twelveMonthTerm();
  snapshot.leases.push_back(lease({.name = "lessee-colossus-9",
                                   .pool = "colossus-9",
                                   .tenant = "lessee",
                                   .phase = "Scheduled",
                                   .created = "2026-11-20T00:00:00Z",
                                   .term = term("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"),
                                   .ratePerGPUHour = "3.00"}));
  std::ostringstream out;
  printTermReport(snapshot, kNow, out);
  EXPECT_THAT(out.str(), HasSubstr("TOTAL    $87,325,680\n"));
  EXPECT_THAT(out.str(), HasSubstr("not counted: lease lessee-colossus-9 has no rate yet (its "
                                   "pool's GPUs or list rate are not known)\n"));
  EXPECT_THAT(out.str(), HasSubstr("lessee-colossus-9  lessee  Scheduled  2027-01-01T00:00:00Z  "
                                   "2027-02-01T00:00:00Z  Release"));
}

TEST(TermReportTest, ReleasedLeasesEarnNothingAhead) {
  ClusterSnapshot snapshot;
  snapshot.pools = {pool("colossus-2", 1100, "5060.00")};
  snapshot.leases = {lease({.name = "gone",
                            .pool = "colossus-2",
                            .tenant = "owner",
                            .phase = "Released",
                            .created = "2026-10-01T00:00:00Z",
                            .releasedAt = "2026-11-01T00:00:00Z",
                            .hourlyRate = "5060.00"})};
  std::ostringstream out;
  printTermReport(snapshot, kNow, out);
  EXPECT_THAT(out.str(), HasSubstr("No lease has a term: every lease runs until it is deleted or "
                                   "superseded.\n"));
  EXPECT_THAT(out.str(), HasSubstr("TOTAL         $0\n"));
}

TEST(TermReportTest, JsonCarriesTermsAndOutlookAsPlainDecimals) {
  nlohmann::ordered_json report = nlohmann::ordered_json::object();
  addTermReportJson(twelveMonthTerm(), kNow, report);
  EXPECT_EQ(report["terms"].dump(),
            R"([{"lease":"lessee-colossus-1","start":"2026-12-01T00:00:00Z",)"
            R"("end":"2027-12-01T00:00:00Z","atEnd":"Return",)"
            R"("returnTo":{"tenant":"owner","purpose":"training"},"contractUsd":"50107200.00",)"
            R"("accruedUsd":"0.00","remainingUsd":"50107200.00"}])");
  EXPECT_EQ(report["outlook"]["months"].size(), 12u);
  EXPECT_EQ(report["outlook"]["months"][0].dump(),
            R"({"month":"2026-11","revenueUsd":"654480.00"})");
  EXPECT_EQ(report["outlook"]["totalUsd"], "87325680.00");
  EXPECT_EQ(report["outlook"]["unpricedLeases"].size(), 0u);
}

}  // namespace
}  // namespace landlord::cli
