// Lease terms with their money, and the monthly revenue outlook of live and scheduled leases.
#include "term_report.h"

#include <cstdio>
#include <map>
#include <ostream>
#include <stdexcept>

#include "format.h"
#include "lease_calendar.h"
#include "table.h"
#include "time_input.h"

namespace landlord::cli {

namespace {

using placement::Money;
using placement::TimePoint;

// The hourly rate a lease that does not earn yet will earn on its pool.
std::optional<Money> expectedHourly(const api::PoolLease& lease, const api::GpuPool* pool) {
  if (pool == nullptr) {
    return std::nullopt;
  }
  if (!lease.spec.ratePerGPUHour.empty()) {
    const auto rate = moneyOrNone(lease.spec.ratePerGPUHour);
    if (!rate || !pool->status.gpus) {
      return std::nullopt;
    }
    return rate->times(*pool->status.gpus);
  }
  return moneyOrNone(pool->status.hourlyListRate);
}

std::string dollars(const std::string& text) {
  const auto parsed = moneyOrNone(text);
  return parsed ? parsed->format(0) : (text.empty() ? "-" : text);
}

std::string monthName(const placement::MonthRevenue& month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", month.year, month.month);
  return text;
}

// "Return to owner (training)", "Release", or "-" for an open-ended term.
std::string atEnd(const api::LeaseTerm& term) {
  if (term.end.empty()) {
    return "-";
  }
  if (term.atEnd == "Return" && term.returnTo) {
    return "Return to " + term.returnTo->tenant + " (" +
           (term.returnTo->purpose.empty() ? "training" : term.returnTo->purpose) + ")";
  }
  return term.atEnd.empty() ? "Release" : term.atEnd;
}

struct Outlook {
  std::vector<placement::MonthRevenue> months;
  Money total;
  std::vector<std::string> unpriced;
};

Outlook outlook(const ClusterSnapshot& snapshot, TimePoint now) {
  Outlook result;
  const std::vector<placement::EarningWindow> windows =
      earningWindows(snapshot, now, result.unpriced);
  result.months = placement::monthlyOutlook(windows, now, kOutlookMonths);
  for (const placement::MonthRevenue& month : result.months) {
    result.total += month.revenue;
  }
  return result;
}

}  // namespace

std::vector<placement::EarningWindow> earningWindows(const ClusterSnapshot& snapshot, TimePoint now,
                                                     std::vector<std::string>& unpriced) {
  std::map<std::string, const api::PoolLease*> leases;
  for (const api::PoolLease& lease : snapshot.leases) {
    leases.emplace(lease.metadata.name, &lease);
  }
  std::map<std::string, const api::GpuPool*> pools;
  for (const api::GpuPool& pool : snapshot.pools) {
    pools.emplace(pool.metadata.name, &pool);
  }
  std::vector<placement::EarningWindow> windows;
  for (const CalendarEntry& entry : leaseCalendar(snapshot.leases, now)) {
    if (!isLiveOrScheduled(entry)) {
      continue;
    }
    const api::PoolLease& lease = *leases.at(entry.lease);
    std::optional<Money> hourly = moneyOrNone(lease.status.hourlyRate);
    if (!hourly || *hourly == Money{}) {
      const auto pool = pools.find(lease.spec.pool);
      hourly = expectedHourly(lease, pool == pools.end() ? nullptr : pool->second);
    }
    if (!hourly) {
      unpriced.push_back(entry.lease);
      continue;
    }
    windows.push_back({*hourly, entry.window});
  }
  return windows;
}

void printTermReport(const ClusterSnapshot& snapshot, TimePoint now, std::ostream& out) {
  Table terms({{"LEASE"},
               {"TENANT"},
               {"PHASE"},
               {"START"},
               {"END"},
               {"AT END"},
               {"CONTRACT", Align::Right},
               {"ACCRUED", Align::Right},
               {"REMAINING", Align::Right}});
  bool any = false;
  for (const api::PoolLease& lease : snapshot.leases) {
    if (!lease.spec.term) {
      continue;
    }
    any = true;
    const api::LeaseTerm& term = *lease.spec.term;
    const api::TermStatus value = lease.status.term.value_or(api::TermStatus{});
    terms.addRow({lease.metadata.name, lease.spec.tenant,
                  lease.status.phase.empty() ? "-" : lease.status.phase,
                  term.start.empty() ? "at once" : term.start, term.end.empty() ? "open" : term.end,
                  atEnd(term), dollars(value.contractValue), dollars(value.accruedRevenue),
                  dollars(value.remainingValue)});
  }
  out << "\nTerms\n\n";
  if (any) {
    terms.print(out);
  } else {
    out << "No lease has a term: every lease runs until it is deleted or superseded.\n";
  }

  const Outlook forecast = outlook(snapshot, now);
  out << "\nRevenue outlook from " << formatTimePoint(now)
      << " (live and scheduled leases, by calendar month, UTC)\n\n";
  Table months({{"MONTH"}, {"REVENUE", Align::Right}});
  for (const placement::MonthRevenue& month : forecast.months) {
    months.addRow({monthName(month), month.revenue.format(0)});
  }
  months.addRow({"TOTAL", forecast.total.format(0)});
  months.print(out);
  for (const std::string& lease : forecast.unpriced) {
    out << "not counted: lease " << lease
        << " has no rate yet (its pool's GPUs or list rate are not known)\n";
  }
}

void addTermReportJson(const ClusterSnapshot& snapshot, TimePoint now,
                       nlohmann::ordered_json& report) {
  using nlohmann::ordered_json;
  ordered_json terms = ordered_json::array();
  for (const api::PoolLease& lease : snapshot.leases) {
    if (!lease.spec.term) {
      continue;
    }
    const api::LeaseTerm& term = *lease.spec.term;
    const api::TermStatus value = lease.status.term.value_or(api::TermStatus{});
    const auto orNull = [](const std::string& text) {
      return text.empty() ? ordered_json(nullptr) : ordered_json(text);
    };
    ordered_json returnTo = nullptr;
    if (term.returnTo) {
      returnTo = {
          {"tenant", term.returnTo->tenant},
          {"purpose", term.returnTo->purpose.empty() ? "training" : term.returnTo->purpose}};
    }
    terms.push_back(
        {{"lease", lease.metadata.name},
         {"start", orNull(term.start)},
         {"end", orNull(term.end)},
         {"atEnd", term.end.empty() ? ordered_json(nullptr)
                                    : ordered_json(term.atEnd.empty() ? "Release" : term.atEnd)},
         {"returnTo", returnTo},
         {"contractUsd", orNull(value.contractValue)},
         {"accruedUsd", orNull(value.accruedRevenue)},
         {"remainingUsd", orNull(value.remainingValue)}});
  }
  report["terms"] = terms;
  const Outlook forecast = outlook(snapshot, now);
  ordered_json months = ordered_json::array();
  for (const placement::MonthRevenue& month : forecast.months) {
    months.push_back({{"month", monthName(month)}, {"revenueUsd", month.revenue.plain(2)}});
  }
  report["outlook"] = {{"from", formatTimePoint(now)},
                       {"months", months},
                       {"totalUsd", forecast.total.plain(2)},
                       {"unpricedLeases", forecast.unpriced}};
}

}  // namespace landlord::cli
