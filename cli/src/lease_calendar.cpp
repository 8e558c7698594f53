// Lease windows from PoolLease objects: when each lease holds its pool, for the calendar.
#include "lease_calendar.h"

#include <algorithm>
#include <map>

#include "time_input.h"

namespace landlord::cli {

namespace {

using placement::TimePoint;

std::optional<TimePoint> earlier(std::optional<TimePoint> a, std::optional<TimePoint> b) {
  if (!a || !b) {
    return a ? a : b;
  }
  return std::min(*a, *b);
}

bool ended(const api::PoolLease& lease) {
  return lease.status.phase == "Released" || lease.status.phase == "Failed";
}

// When the lease took, or takes, its pool.
TimePoint startOf(const api::PoolLease& lease, TimePoint now) {
  for (const std::string* time :
       {&lease.status.activatedAt, lease.spec.term ? &lease.spec.term->start : nullptr,
        &lease.metadata.creationTimestamp}) {
    if (time != nullptr) {
      if (const auto parsed = parseApiTime(*time)) {
        return *parsed;
      }
    }
  }
  return now;  // an object not yet stored has no creation time: it starts now
}

// The end its term sets: spec.term.end, or an earlier end the operator acted on.
std::optional<TimePoint> termEndOf(const api::PoolLease& lease) {
  if (!lease.spec.term) {
    return std::nullopt;
  }
  std::optional<TimePoint> end = parseApiTime(lease.spec.term->end);
  if (lease.status.term) {
    end = earlier(end, parseApiTime(lease.status.term->endedAt));
  }
  return end;
}

}  // namespace

std::vector<CalendarEntry> leaseCalendar(std::span<const api::PoolLease> leases, TimePoint now) {
  std::map<std::string, const api::PoolLease*> successorOf;
  for (const api::PoolLease& lease : leases) {
    if (!lease.spec.supersedes.empty()) {
      const auto [it, inserted] = successorOf.emplace(lease.spec.supersedes, &lease);
      // Two leases claim to supersede one: the earlier start ends it.
      if (!inserted && startOf(lease, now) < startOf(*it->second, now)) {
        it->second = &lease;
      }
    }
  }
  std::vector<CalendarEntry> entries;
  for (const api::PoolLease& lease : leases) {
    CalendarEntry entry{.lease = lease.metadata.name,
                        .pool = lease.spec.pool,
                        .tenant = lease.spec.tenant,
                        .purpose = lease.spec.purpose,
                        .phase = lease.status.phase,
                        .window = {startOf(lease, now), termEndOf(lease)},
                        .supersededBy = "",
                        .atEnd = "",
                        .returnTo = std::nullopt};
    if (lease.spec.term && !lease.spec.term->end.empty()) {
      entry.atEnd = lease.spec.term->atEnd.empty() ? "Release" : lease.spec.term->atEnd;
      entry.returnTo = lease.spec.term->returnTo;
    }
    const auto successor = successorOf.find(lease.metadata.name);
    if (successor != successorOf.end()) {
      const TimePoint handover = startOf(*successor->second, now);
      if (!entry.window.until || handover <= *entry.window.until) {
        entry.window.until = handover;
        entry.supersededBy = successor->second->metadata.name;
      }
    }
    if (ended(lease)) {
      const auto released = parseApiTime(lease.status.releasedAt);
      entry.window.until = earlier(entry.window.until, released.value_or(entry.window.from));
    }
    if (entry.window.until && *entry.window.until < entry.window.from) {
      entry.window.until = entry.window.from;  // ended before it began: held nothing
    }
    const bool returnPending = !ended(lease) && entry.atEnd == "Return" && entry.returnTo &&
                               successor == successorOf.end() &&
                               (!lease.status.term || lease.status.term->returnLease.empty());
    if (returnPending && entry.window.until) {
      entries.push_back(
          {.lease = lease.metadata.name + "-return",
           .pool = lease.spec.pool,
           .tenant = entry.returnTo->tenant,
           .purpose = entry.returnTo->purpose.empty() ? "training" : entry.returnTo->purpose,
           .phase = "Planned",
           .window = {*entry.window.until, std::nullopt},
           .supersededBy = "",
           .atEnd = "",
           .returnTo = std::nullopt});
    }
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(), [](const CalendarEntry& a, const CalendarEntry& b) {
    return std::tie(a.pool, a.window.from, a.lease) < std::tie(b.pool, b.window.from, b.lease);
  });
  return entries;
}

bool isLiveOrScheduled(const CalendarEntry& entry) {
  return entry.phase != "Released" && entry.phase != "Failed" && entry.phase != "Planned";
}

}  // namespace landlord::cli
