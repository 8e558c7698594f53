// The calendar drawn from a fixed set of leases at a fixed time: the exact text, and the JSON.
#include "calendar_view.h"

#include <gtest/gtest.h>

#include <sstream>

#include "lease_fixtures.h"
#include "time_input.h"

namespace landlord::cli {
namespace {

using testing::lease;
using testing::term;

placement::TimePoint at(const std::string& text) {
  return *parseApiTime(text);
}

// colossus-1 goes from the owner to the lessee on 1 December for a month, then back;
// colossus-2 stays with the owner; colossus-3 is free.
std::vector<CalendarEntry> december() {
  const std::vector<api::PoolLease> leases = {
      lease({.name = "owner-colossus-1",
             .pool = "colossus-1",
             .tenant = "owner",
             .phase = "Active",
             .created = "2026-11-01T00:00:00Z",
             .activatedAt = "2026-11-01T00:05:00Z"}),
      lease({.name = "lessee-colossus-1",
             .pool = "colossus-1",
             .tenant = "lessee",
             .phase = "Scheduled",
             .created = "2026-11-20T00:00:00Z",
             .supersedes = "owner-colossus-1",
             .term = term("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", "owner")}),
      lease({.name = "owner-colossus-2",
             .pool = "colossus-2",
             .tenant = "owner",
             .phase = "Active",
             .created = "2026-11-01T00:00:00Z",
             .activatedAt = "2026-11-01T00:05:00Z"})};
  return leaseCalendar(leases, at("2026-11-26T12:00:00Z"));
}

const std::vector<std::string> kPools = {"colossus-1", "colossus-2", "colossus-3"};

TEST(CalendarViewTest, DrawsOneDayPerColumnWithALetterPerTenant) {
  std::ostringstream out;
  // 56 days in 56 columns: one day per column, each read at noon.
  printCalendar(kPools, december(), {at("2026-11-26T00:00:00Z"), at("2027-01-21T00:00:00Z")}, out,
                56);
  EXPECT_EQ(out.str(),
            "Pools from 2026-11-26T00:00:00Z to 2027-01-21T00:00:00Z (UTC), one column = "
            "24h00m00s\n"
            "\n"
            "colossus-1  ooooo" +
                std::string(31, 'l') + std::string(20, 'o') +
                "\n"
                "colossus-2  oooooooooooooooooooooooooooooooooooooooooooooooooooooooo\n"
                "colossus-3  ........................................................\n"
                "            |              |              |              |\n"
                "            2026-11-26     2026-12-11     2026-12-26     2027-01-10\n"
                "\n"
                "l lessee  o owner  . free\n"
                "\n"
                "LEASE                     POOL        TENANT  PHASE      START                 "
                "END                   AT END\n"
                "owner-colossus-1          colossus-1  owner   Active     2026-11-01T00:05:00Z  "
                "2026-12-01T00:00:00Z  handover to lessee-colossus-1\n"
                "lessee-colossus-1         colossus-1  lessee  Scheduled  2026-12-01T00:00:00Z  "
                "2027-01-01T00:00:00Z  Return to owner (training)\n"
                "lessee-colossus-1-return  colossus-1  owner   Planned    2027-01-01T00:00:00Z  "
                "open                  -\n"
                "owner-colossus-2          colossus-2  owner   Active     2026-11-01T00:05:00Z  "
                "open                  -\n");
}

TEST(CalendarViewTest, ShortRangesLabelTheAxisWithTimes) {
  std::ostringstream out;
  printCalendar(kPools, december(), {at("2026-11-30T23:59:00Z"), at("2026-12-01T00:01:00Z")}, out,
                60);
  const std::string text = out.str();
  // Two minutes: each column two seconds, the switch to the lessee half-way.
  EXPECT_NE(text.find("colossus-1  " + std::string(30, 'o') + std::string(30, 'l') + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("            23:59:00       23:59:30       00:00:00       00:00:30\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("one column = 2s\n"), std::string::npos) << text;
}

TEST(CalendarViewTest, ColumnsShorterThanASecondAreGivenInMilliseconds) {
  std::ostringstream out;
  printCalendar(kPools, december(), {at("2026-11-30T23:59:45Z"), at("2026-12-01T00:00:15Z")}, out,
                60);
  EXPECT_NE(out.str().find("one column = 500ms\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("colossus-1  " + std::string(30, 'o') + std::string(30, 'l') + "\n"),
            std::string::npos)
      << out.str();
}

TEST(CalendarViewTest, ARangeWithoutLeasesSaysSo) {
  std::ostringstream out;
  printCalendar(kPools, {}, {at("2026-11-26T00:00:00Z"), at("2026-11-27T00:00:00Z")}, out, 60);
  EXPECT_NE(out.str().find("colossus-3  " + std::string(60, '.') + "\n"), std::string::npos);
  EXPECT_NE(out.str().find("\n. free\n\nNo lease holds a pool in this range.\n"), std::string::npos)
      << out.str();
}

TEST(CalendarViewTest, JsonListsEachPoolsLeasesInTheRange) {
  // From 2 December: the owner's lease on colossus-1 has ended, the return is ahead.
  const nlohmann::ordered_json json =
      calendarJson(kPools, december(), {at("2026-12-02T00:00:00Z"), at("2027-02-01T00:00:00Z")});
  EXPECT_EQ(json.dump(), nlohmann::ordered_json::parse(R"({
    "from": "2026-12-02T00:00:00Z", "to": "2027-02-01T00:00:00Z",
    "pools": [
      {"name": "colossus-1", "leases": [
        {"name": "lessee-colossus-1", "tenant": "lessee", "purpose": "inference",
         "phase": "Scheduled", "start": "2026-12-01T00:00:00Z", "end": "2027-01-01T00:00:00Z",
         "atEnd": "Return", "returnTo": {"tenant": "owner", "purpose": "training"},
         "supersededBy": null},
        {"name": "lessee-colossus-1-return", "tenant": "owner", "purpose": "training",
         "phase": "Planned", "start": "2027-01-01T00:00:00Z", "end": null,
         "atEnd": null, "returnTo": null, "supersededBy": null}]},
      {"name": "colossus-2", "leases": [
        {"name": "owner-colossus-2", "tenant": "owner", "purpose": "training",
         "phase": "Active", "start": "2026-11-01T00:05:00Z", "end": null,
         "atEnd": null, "returnTo": null, "supersededBy": null}]},
      {"name": "colossus-3", "leases": []}]})")
                             .dump());
}

}  // namespace
}  // namespace landlord::cli
