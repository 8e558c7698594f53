#include "landlord/placement/lease_term.h"

#include <algorithm>
#include <stdexcept>

namespace landlord::placement {

namespace {

bool before(TimePoint time, const std::optional<TimePoint>& until) {
  return !until || time < *until;
}

bool isEmpty(const LeaseWindow& window) {
  return window.until && *window.until <= window.from;
}

std::optional<TimePoint> earlier(const std::optional<TimePoint>& a,
                                 const std::optional<TimePoint>& b) {
  if (!a) {
    return b;
  }
  if (!b) {
    return a;
  }
  return std::min(*a, *b);
}

// A lease's window cut at the start of the lease superseding it, if any: the
// handover ends it there.
LeaseWindow effectiveWindow(const TermedLease& lease, std::span<const TermedLease> all,
                            const TermedLease& candidate) {
  LeaseWindow window = lease.window;
  auto cutBy = [&](const TermedLease& successor) {
    if (successor.supersedes == lease.name) {
      window.until = earlier(window.until, successor.window.from);
    }
  };
  for (const TermedLease& other : all) {
    cutBy(other);
  }
  cutBy(candidate);
  return window;
}

}  // namespace

bool overlaps(const LeaseWindow& a, const LeaseWindow& b) {
  // An empty window (a lease superseded at its own start) holds nothing, so it
  // overlaps nothing, even a window it lies inside.
  return !isEmpty(a) && !isEmpty(b) && before(a.from, b.until) && before(b.from, a.until);
}

std::optional<LeaseWindow> overlapOf(const LeaseWindow& a, const LeaseWindow& b) {
  if (!overlaps(a, b)) {
    return std::nullopt;
  }
  return LeaseWindow{std::max(a.from, b.from), earlier(a.until, b.until)};
}

std::optional<DoubleBooking> findDoubleBooking(const TermedLease& candidate,
                                               std::span<const TermedLease> others) {
  const LeaseWindow mine = effectiveWindow(candidate, others, candidate);
  for (const TermedLease& other : others) {
    if (other.name == candidate.name || other.supersedes == candidate.name ||
        candidate.supersedes == other.name) {
      continue;  // a handover between the two: one ends where the other starts
    }
    if (const auto shared = overlapOf(mine, effectiveWindow(other, others, candidate))) {
      return DoubleBooking{other.name, *shared};
    }
  }
  return std::nullopt;
}

Money prorate(Money hourly, std::chrono::seconds held) {
  if (held.count() <= 0) {
    return Money{};
  }
  const __int128 micros = static_cast<__int128>(hourly.micros()) * held.count() / 3600;
  if (micros > INT64_MAX) {
    throw std::overflow_error("prorate: revenue exceeds the range of Money");
  }
  return Money::fromMicros(static_cast<std::int64_t>(micros));
}

TermValue termValue(Money hourly, TimePoint contractFrom, TimePoint activatedAt,
                    std::optional<TimePoint> end, TimePoint now) {
  TermValue value;
  const TimePoint accruedUntil = end ? std::min(now, *end) : now;
  value.accrued = prorate(hourly, accruedUntil - activatedAt);
  if (end) {
    value.contract = prorate(hourly, *end - contractFrom);
    value.remaining = *value.contract > value.accrued ? *value.contract - value.accrued : Money{};
  }
  return value;
}

std::vector<MonthRevenue> monthlyOutlook(std::span<const EarningWindow> leases, TimePoint from,
                                         int months) {
  using namespace std::chrono;
  std::vector<MonthRevenue> out;
  const year_month first{year_month_day{floor<days>(from)}.year(),
                         year_month_day{floor<days>(from)}.month()};
  for (int i = 0; i < months; ++i) {
    const year_month month = first + std::chrono::months(i);
    const TimePoint monthStart = sys_days{month / 1};
    const TimePoint monthEnd = sys_days{(month + std::chrono::months(1)) / 1};
    const LeaseWindow span{std::max(monthStart, from), monthEnd};
    MonthRevenue revenue{static_cast<int>(month.year()), static_cast<unsigned>(month.month()), {}};
    for (const EarningWindow& lease : leases) {
      if (const auto shared = overlapOf(span, lease.window)) {
        revenue.revenue += prorate(lease.hourly, *shared->until - shared->from);
      }
    }
    out.push_back(revenue);
  }
  return out;
}

}  // namespace landlord::placement
