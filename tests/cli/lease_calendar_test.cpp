// When each lease holds its pool, read from PoolLease objects (leaseCalendar).
#include "lease_calendar.h"

#include <gtest/gtest.h>

#include "lease_fixtures.h"
#include "time_input.h"

namespace landlord::cli {
namespace {

using testing::lease;
using testing::term;

placement::TimePoint at(const std::string& text) {
  return *parseApiTime(text);
}

const placement::TimePoint kNow = at("2026-11-26T12:00:00Z");

// "lease pool tenant phase from..until" per entry, to compare whole calendars.
std::vector<std::string> lines(const std::vector<CalendarEntry>& entries) {
  std::vector<std::string> out;
  for (const CalendarEntry& entry : entries) {
    out.push_back(entry.lease + " " + entry.pool + " " + entry.tenant + " " + entry.phase + " " +
                  formatTimePoint(entry.window.from) + ".." +
                  (entry.window.until ? formatTimePoint(*entry.window.until) : "open") +
                  (entry.supersededBy.empty() ? "" : " by " + entry.supersededBy));
  }
  return out;
}

TEST(LeaseCalendarTest, ALeaseWithoutTermHoldsFromItsActivationOpenEnded) {
  const std::vector<api::PoolLease> leases = {lease({.name = "owner-colossus-2",
                                                     .pool = "colossus-2",
                                                     .tenant = "owner",
                                                     .phase = "Active",
                                                     .created = "2026-11-01T00:00:00Z",
                                                     .activatedAt = "2026-11-01T00:05:00Z"}),
                                              lease({.name = "owner-colossus-3",
                                                     .pool = "colossus-3",
                                                     .tenant = "owner",
                                                     .phase = "Provisioning",
                                                     .created = "2026-11-26T11:00:00Z"})};
  EXPECT_EQ(lines(leaseCalendar(leases, kNow)),
            (std::vector<std::string>{
                "owner-colossus-2 colossus-2 owner Active 2026-11-01T00:05:00Z..open",
                "owner-colossus-3 colossus-3 owner Provisioning 2026-11-26T11:00:00Z..open"}));
}

TEST(LeaseCalendarTest, AScheduledSuccessorEndsTheLeaseItSupersedesAtItsStart) {
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
             .term = term("2026-12-01T00:00:00Z", "2027-12-01T00:00:00Z", "owner")})};
  EXPECT_EQ(lines(leaseCalendar(leases, kNow)),
            (std::vector<std::string>{
                "owner-colossus-1 colossus-1 owner Active "
                "2026-11-01T00:05:00Z..2026-12-01T00:00:00Z by lessee-colossus-1",
                "lessee-colossus-1 colossus-1 lessee Scheduled "
                "2026-12-01T00:00:00Z..2027-12-01T00:00:00Z",
                // Not created until the end: shown as planned, open-ended.
                "lessee-colossus-1-return colossus-1 owner Planned 2027-12-01T00:00:00Z..open"}));
}

TEST(LeaseCalendarTest, AnExistingReturnLeaseReplacesThePlannedOne) {
  api::PoolLease ended =
      lease({.name = "lessee-colossus-1",
             .pool = "colossus-1",
             .tenant = "lessee",
             .phase = "Released",
             .created = "2026-11-20T00:00:00Z",
             .activatedAt = "2026-12-01T00:00:10Z",
             .releasedAt = "2027-12-01T00:00:40Z",
             .term = term("2026-12-01T00:00:00Z", "2027-12-01T00:00:00Z", "owner")});
  ended.status.term.emplace().returnLease = "lessee-colossus-1-return";
  const std::vector<api::PoolLease> leases = {ended, lease({.name = "lessee-colossus-1-return",
                                                            .pool = "colossus-1",
                                                            .tenant = "owner",
                                                            .phase = "Active",
                                                            .created = "2027-12-01T00:00:01Z",
                                                            .activatedAt = "2027-12-01T00:01:00Z",
                                                            .supersedes = "lessee-colossus-1"})};
  EXPECT_EQ(lines(leaseCalendar(leases, at("2027-12-02T00:00:00Z"))),
            (std::vector<std::string>{
                // The term's end comes before the release and the successor's start.
                "lessee-colossus-1 colossus-1 lessee Released "
                "2026-12-01T00:00:10Z..2027-12-01T00:00:00Z",
                "lessee-colossus-1-return colossus-1 owner Active 2027-12-01T00:01:00Z..open"}));
}

TEST(LeaseCalendarTest, AReleasedLeaseEndsAtItsRelease) {
  const std::vector<api::PoolLease> leases = {
      lease({.name = "old",
             .pool = "colossus-1",
             .tenant = "owner",
             .phase = "Released",
             .created = "2026-10-01T00:00:00Z",
             .activatedAt = "2026-10-01T00:01:00Z",
             .releasedAt = "2026-10-15T00:00:00Z"}),
      // Failed before it ever held the pool, and no release recorded: held nothing.
      lease({.name = "broken",
             .pool = "colossus-1",
             .tenant = "lessee",
             .phase = "Failed",
             .created = "2026-10-20T00:00:00Z"})};
  EXPECT_EQ(lines(leaseCalendar(leases, kNow)),
            (std::vector<std::string>{
                "old colossus-1 owner Released 2026-10-01T00:01:00Z..2026-10-15T00:00:00Z",
                "broken colossus-1 lessee Failed 2026-10-20T00:00:00Z..2026-10-20T00:00:00Z"}));
}

TEST(LeaseCalendarTest, AnEarlyEndTheOperatorActedOnCutsTheTerm) {
  api::PoolLease cut = lease({.name = "lessee-colossus-1",
                              .pool = "colossus-1",
                              .tenant = "lessee",
                              .phase = "Releasing",
                              .created = "2026-11-20T00:00:00Z",
                              .activatedAt = "2026-11-20T00:01:00Z",
                              .term = term("", "2027-12-01T00:00:00Z")});
  cut.status.term.emplace().endedAt = "2026-11-26T10:00:00Z";
  const std::vector<api::PoolLease> leases = {cut};
  const std::vector<CalendarEntry> entries = leaseCalendar(leases, kNow);
  EXPECT_EQ(lines(entries),
            (std::vector<std::string>{"lessee-colossus-1 colossus-1 lessee Releasing "
                                      "2026-11-20T00:01:00Z..2026-11-26T10:00:00Z"}));
  EXPECT_EQ(entries[0].atEnd, "Release");
  EXPECT_TRUE(isLiveOrScheduled(entries[0]));
}

TEST(LeaseCalendarTest, OnlyLiveAndScheduledLeasesCountAsLive) {
  for (const auto& [phase, live] : std::vector<std::pair<std::string, bool>>{{"Active", true},
                                                                             {"Scheduled", true},
                                                                             {"Pending", true},
                                                                             {"Released", false},
                                                                             {"Failed", false},
                                                                             {"Planned", false}}) {
    CalendarEntry entry;
    entry.phase = phase;
    EXPECT_EQ(isLiveOrScheduled(entry), live) << phase;
  }
}

}  // namespace
}  // namespace landlord::cli
