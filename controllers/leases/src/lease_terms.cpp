// Lease terms as times, the double-booking rule, and the lease a Return term creates.
#include "landlord/controllers/leases/lease_terms.h"

#include "landlord/operator/base/time_format.h"

namespace landlord::controllers {

namespace {

std::optional<placement::TimePoint> parse(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  if (const auto time = kube::parseTime(text)) {
    return toTimePoint(*time);
  }
  return std::nullopt;
}

std::string describe(const placement::LeaseWindow& window) {
  return kube::formatTime(window.from) + " to " +
         (window.until ? kube::formatTime(*window.until) : std::string("open-ended"));
}

placement::TermedLease termed(const api::PoolLease& lease, placement::TimePoint now) {
  placement::TermedLease out;
  out.name = lease.metadata.name;
  out.supersedes = lease.spec.supersedes;
  const auto created = parse(lease.metadata.creationTimestamp);
  out.window.from = termStart(lease).value_or(created.value_or(now));
  out.window.until = termEnd(lease);
  return out;
}

}  // namespace

placement::TimePoint toTimePoint(std::chrono::system_clock::time_point time) {
  return std::chrono::floor<std::chrono::seconds>(time);
}

std::optional<placement::TimePoint> termStart(const api::PoolLease& lease) {
  return lease.spec.term ? parse(lease.spec.term->start) : std::nullopt;
}

std::optional<placement::TimePoint> termEnd(const api::PoolLease& lease) {
  return lease.spec.term ? parse(lease.spec.term->end) : std::nullopt;
}

bool beforeStart(const api::PoolLease& lease, placement::TimePoint now) {
  const auto start = termStart(lease);
  return start && now < *start;
}

bool termEnded(const api::PoolLease& lease, placement::TimePoint now) {
  const auto end = termEnd(lease);
  return end && now >= *end;
}

bool liveOrScheduled(const api::PoolLease& lease) {
  const std::string& phase = lease.status.phase;
  return !lease.metadata.deleting() && phase != "Released" && phase != "Failed";
}

std::optional<std::string> doubleBookingOf(const api::PoolLease& candidate,
                                           const std::vector<api::PoolLease>& leases,
                                           placement::TimePoint now) {
  std::vector<placement::TermedLease> others;
  for (const api::PoolLease& lease : leases) {
    if (lease.spec.pool == candidate.spec.pool && liveOrScheduled(lease) &&
        lease.metadata.name != candidate.metadata.name) {
      others.push_back(termed(lease, now));
    }
  }
  const auto booking = placement::findDoubleBooking(termed(candidate, now), others);
  if (!booking) {
    return std::nullopt;
  }
  const placement::TermedLease mine = termed(candidate, now);
  return "lease " + candidate.metadata.name + " (" + describe(mine.window) + ") and lease " +
         booking->other + " overlap on pool " + candidate.spec.pool + " from " +
         describe(booking->overlap) + "; a pool is leased to one tenant at a time: move " +
         "spec.term so they do not overlap, or set spec.supersedes: " + booking->other +
         " to take the pool over at the start";
}

std::string returnLeaseName(const api::PoolLease& lease) {
  constexpr std::size_t kMaxName = 253;
  const std::string suffix = "-return";
  return lease.metadata.name.substr(0, kMaxName - suffix.size()) + suffix;
}

api::PoolLease returnLeaseFor(const api::PoolLease& lease) {
  const api::TermReturn& to = *lease.spec.term->returnTo;
  api::PoolLease back;
  back.metadata.name = returnLeaseName(lease);
  back.metadata.labels["landlord.dev/returned-from"] = lease.metadata.name.substr(0, 63);
  back.spec.pool = lease.spec.pool;
  back.spec.tenant = to.tenant;
  back.spec.purpose = to.purpose.empty() ? "training" : to.purpose;
  back.spec.ratePerGPUHour = to.ratePerGPUHour;
  back.spec.supersedes = lease.metadata.name;
  return back;
}

}  // namespace landlord::controllers
