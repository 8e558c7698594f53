#pragma once

// PoolLease spec.term read as times, and the double-booking rule over the leases
// of one pool: what the PoolLease controller and the admission webhook both apply.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/placement/lease_term.h"

namespace landlord::controllers {

std::optional<placement::TimePoint> termStart(const api::PoolLease& lease);
std::optional<placement::TimePoint> termEnd(const api::PoolLease& lease);
placement::TimePoint toTimePoint(std::chrono::system_clock::time_point time);

// Whether the lease waits for its term's start at `now`.
bool beforeStart(const api::PoolLease& lease, placement::TimePoint now);
// Whether its term has an end that `now` has reached.
bool termEnded(const api::PoolLease& lease, placement::TimePoint now);

// Leases that hold or will hold their pool: not Released, not Failed, not deleted.
bool liveOrScheduled(const api::PoolLease& lease);

// The first of `leases` (any pool; only live or scheduled ones on the candidate's
// pool count) whose term overlaps `candidate`'s, unless one supersedes the other,
// as a message naming both leases and the shared window. A lease without a term
// holds from its creation (`now` for one not created yet), open-ended.
std::optional<std::string> doubleBookingOf(const api::PoolLease& candidate,
                                           const std::vector<api::PoolLease>& leases,
                                           placement::TimePoint now);

// The lease that hands the pool back at the end of a Return term: named
// "<lease>-return", superseding `lease`, so creating it twice is AlreadyExists.
std::string returnLeaseName(const api::PoolLease& lease);
api::PoolLease returnLeaseFor(const api::PoolLease& lease);

}  // namespace landlord::controllers
