// The calendar as text (a bar per pool, an axis, a legend, the lease windows) and as JSON.
#include "calendar_view.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <ostream>
#include <set>

#include "duration.h"
#include "table.h"
#include "time_input.h"

namespace landlord::cli {

namespace {

using placement::TimePoint;

constexpr int kTickEvery = 15;  // columns between two dates of the axis

bool touches(const CalendarEntry& entry, const CalendarRange& range) {
  return entry.window.from < range.to && (!entry.window.until || *entry.window.until > range.from);
}

bool holdsAt(const CalendarEntry& entry, TimePoint time) {
  return entry.window.from <= time && (!entry.window.until || time < *entry.window.until);
}

// Every pool named, sorted, once.
std::vector<std::string> poolNames(std::span<const std::string> pools,
                                   std::span<const CalendarEntry> entries) {
  std::set<std::string> names(pools.begin(), pools.end());
  for (const CalendarEntry& entry : entries) {
    names.insert(entry.pool);
  }
  return {names.begin(), names.end()};
}

// A letter per tenant, by name: its first letter when still free, else another of
// its letters, else the first free one of a-z, A-Z, 0-9.
std::map<std::string, char> tenantLetters(const std::set<std::string>& tenants) {
  std::map<std::string, char> letters;
  std::set<char> used = {'.'};
  const std::string spare = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (const std::string& tenant : tenants) {
    char letter = '?';
    for (const std::string* candidates : {&tenant, &spare}) {
      for (const char c : *candidates) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0 && !used.contains(c)) {
          letter = c;
          break;
        }
      }
      if (letter != '?') {
        break;
      }
    }
    used.insert(letter);
    letters.emplace(tenant, letter);
  }
  return letters;
}

// The axis label of `time`: the date over weeks, the hour over days, the second
// over a shorter range.
std::string axisLabel(TimePoint time, std::chrono::seconds span) {
  using namespace std::chrono;
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char text[32];
  if (span >= days(3)) {
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  } else if (span >= hours(2)) {
    std::snprintf(text, sizeof text, "%02u-%02u %02ld:%02ld", static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<long>(clock.hours().count()),
                  static_cast<long>(clock.minutes().count()));
  } else {
    std::snprintf(text, sizeof text, "%02ld:%02ld:%02ld", static_cast<long>(clock.hours().count()),
                  static_cast<long>(clock.minutes().count()),
                  static_cast<long>(clock.seconds().count()));
  }
  return text;
}

// The start of column `column` (of `width`) over the range, or its middle with `half`.
TimePoint columnTime(const CalendarRange& range, int width, int column, bool half = false) {
  const auto span = range.to - range.from;
  return range.from + (span * (2 * column + (half ? 1 : 0))) / (2 * width);
}

std::string endText(const CalendarEntry& entry) {
  return entry.window.until ? formatTimePoint(*entry.window.until) : "open";
}

// "Release", "Return to owner (training)", "handover to lessee-colossus-1", or "-".
std::string atEndText(const CalendarEntry& entry) {
  if (!entry.supersededBy.empty()) {
    return "handover to " + entry.supersededBy;
  }
  if (entry.atEnd == "Return" && entry.returnTo) {
    return "Return to " + entry.returnTo->tenant + " (" +
           (entry.returnTo->purpose.empty() ? "training" : entry.returnTo->purpose) + ")";
  }
  return entry.atEnd.empty() ? "-" : entry.atEnd;
}

}  // namespace

void printCalendar(std::span<const std::string> pools, std::span<const CalendarEntry> entries,
                   const CalendarRange& range, std::ostream& out, int width) {
  const std::vector<std::string> names = poolNames(pools, entries);
  std::set<std::string> tenants;
  for (const CalendarEntry& entry : entries) {
    if (touches(entry, range)) {
      tenants.insert(entry.tenant);
    }
  }
  const std::map<std::string, char> letters = tenantLetters(tenants);
  std::size_t nameWidth = 4;
  for (const std::string& name : names) {
    nameWidth = std::max(nameWidth, name.size());
  }
  const std::string indent(nameWidth + 2, ' ');
  const auto span = std::chrono::duration_cast<std::chrono::seconds>(range.to - range.from);

  const auto column = std::chrono::duration_cast<std::chrono::milliseconds>(span) / width;
  out << "Pools from " << formatTimePoint(range.from) << " to " << formatTimePoint(range.to)
      << " (UTC), one column = "
      << (column < std::chrono::seconds(1) ? std::to_string(column.count()) + "ms"
                                           : formatDuration(column))
      << "\n\n";
  for (const std::string& pool : names) {
    std::string bar;
    for (int column = 0; column < width; ++column) {
      const TimePoint middle = columnTime(range, width, column, true);
      const CalendarEntry* holder = nullptr;
      for (const CalendarEntry& entry : entries) {
        // Of two windows at one time (a handover's), the later start holds.
        if (entry.pool == pool && holdsAt(entry, middle) &&
            (holder == nullptr || entry.window.from > holder->window.from)) {
          holder = &entry;
        }
      }
      bar += holder == nullptr ? '.' : letters.at(holder->tenant);
    }
    out << pool << std::string(nameWidth + 2 - pool.size(), ' ') << bar << "\n";
  }
  std::string ticks;
  std::string labels;
  for (int column = 0; column < width; column += kTickEvery) {
    ticks += std::string(static_cast<std::size_t>(column) - ticks.size(), ' ') + "|";
    labels +=
        std::string(static_cast<std::size_t>(column) - std::min<std::size_t>(labels.size(), column),
                    ' ') +
        axisLabel(columnTime(range, width, column), span);
  }
  out << indent << ticks << "\n" << indent << labels << "\n\n";
  std::string legend;
  for (const auto& [tenant, letter] : letters) {
    legend += std::string(1, letter) + " " + tenant + "  ";
  }
  out << legend << ". free\n\n";

  Table table({{"LEASE"}, {"POOL"}, {"TENANT"}, {"PHASE"}, {"START"}, {"END"}, {"AT END"}});
  bool any = false;
  for (const CalendarEntry& entry : entries) {
    if (touches(entry, range)) {
      any = true;
      table.addRow({entry.lease, entry.pool, entry.tenant, entry.phase.empty() ? "-" : entry.phase,
                    formatTimePoint(entry.window.from), endText(entry), atEndText(entry)});
    }
  }
  if (any) {
    table.print(out);
  } else {
    out << "No lease holds a pool in this range.\n";
  }
}

nlohmann::ordered_json calendarJson(std::span<const std::string> pools,
                                    std::span<const CalendarEntry> entries,
                                    const CalendarRange& range) {
  using nlohmann::ordered_json;
  ordered_json rows = ordered_json::array();
  for (const std::string& pool : poolNames(pools, entries)) {
    ordered_json leases = ordered_json::array();
    for (const CalendarEntry& entry : entries) {
      if (entry.pool != pool || !touches(entry, range)) {
        continue;
      }
      ordered_json returnTo = nullptr;
      if (entry.returnTo) {
        returnTo = {
            {"tenant", entry.returnTo->tenant},
            {"purpose", entry.returnTo->purpose.empty() ? "training" : entry.returnTo->purpose}};
      }
      leases.push_back(
          {{"name", entry.lease},
           {"tenant", entry.tenant},
           {"purpose", entry.purpose},
           {"phase", entry.phase},
           {"start", formatTimePoint(entry.window.from)},
           {"end", entry.window.until ? ordered_json(formatTimePoint(*entry.window.until))
                                      : ordered_json(nullptr)},
           {"atEnd", entry.atEnd.empty() ? ordered_json(nullptr) : ordered_json(entry.atEnd)},
           {"returnTo", returnTo},
           {"supersededBy", entry.supersededBy.empty() ? ordered_json(nullptr)
                                                       : ordered_json(entry.supersededBy)}});
    }
    rows.push_back({{"name", pool}, {"leases", leases}});
  }
  return {
      {"from", formatTimePoint(range.from)}, {"to", formatTimePoint(range.to)}, {"pools", rows}};
}

}  // namespace landlord::cli
