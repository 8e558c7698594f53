// `landlord calendar`: per pool, who holds it when, over a range of dates, from the live cluster.
#include <ostream>

#include "calendar_view.h"
#include "cluster_fleet.h"
#include "cluster_options.h"
#include "command_list.h"
#include "lease_calendar.h"
#include "offline_inputs.h"
#include "time_input.h"

namespace landlord::cli {

namespace {

constexpr auto kDefaultSpan = std::chrono::weeks(8);

CalendarRange rangeFrom(const Arguments& arguments, placement::TimePoint now) {
  const auto fromText = arguments.optional("from");
  const placement::TimePoint from = fromText ? parseTimeOption(*fromText, "from", now) : now;
  const auto toText = arguments.optional("to");
  const placement::TimePoint to =
      toText ? parseTimeOption(*toText, "to", now) : from + kDefaultSpan;
  if (to <= from) {
    throw UsageError("--to: " + formatTimePoint(to) + " is not after --from " +
                     formatTimePoint(from));
  }
  return {from, to};
}

int runCalendar(const Arguments& arguments, const ClusterAccess& access, CommandIo& io) {
  const auto now = std::chrono::floor<std::chrono::seconds>(access.wallClock());
  const CalendarRange range = rangeFrom(arguments, now);
  const ClusterConnection cluster = connect(arguments, access);
  const ClusterSnapshot snapshot = readSnapshot(*cluster.client, cluster.name);
  std::vector<std::string> pools;
  for (const api::GpuPool& pool : snapshot.pools) {
    pools.push_back(pool.metadata.name);
  }
  const std::vector<CalendarEntry> entries = leaseCalendar(snapshot.leases, now);
  if (wantsJson(arguments)) {
    io.out << calendarJson(pools, entries, range).dump(2) << "\n";
  } else {
    printCalendar(pools, entries, range, io.out);
  }
  return 0;
}

OptionSpec timeOption(std::string name, std::string help) {
  return {.name = std::move(name),
          .shortName = '\0',
          .valueName = "TIME",
          .help = std::move(help),
          .required = false,
          .defaultValue = std::nullopt,
          .choices = {}};
}

}  // namespace

Command calendarCommand(ClusterAccess cluster) {
  return {.name = "calendar",
          .summary = "per pool, who holds it when: a timeline of the leases and their terms",
          .options = {timeOption("from",
                                 "start of the timeline: RFC 3339, a date (2026-12-01) or "
                                 "+DURATION from now (default: now)"),
                      timeOption("to",
                                 "end of the timeline, same forms (default: 8 weeks "
                                 "after --from)"),
                      outputOption(), kubeconfigOption(), contextOption()},
          .run = [cluster](const Arguments& arguments, CommandIo& io) {
            return runCalendar(arguments, cluster, io);
          }};
}

}  // namespace landlord::cli
