#include "landlord/controllers/ownership/ownership_triggers.h"

#include <optional>
#include <string>
#include <tuple>

#include "landlord/controllers/leases/pool_claim.h"

namespace landlord::controllers {

namespace {

std::optional<std::tuple<std::string, std::string, std::string>> claimKey(
    const api::GpuPool& pool) {
  if (const auto claim = claimOf(pool)) {
    return std::tuple{claim->lease, claim->uid, claim->tenant};
  }
  return std::nullopt;
}

std::optional<std::string> drainDeadline(const api::PoolLease& lease) {
  if (lease.status.drain) {
    return lease.status.drain->deadline;
  }
  return std::nullopt;
}

}  // namespace

bool changesNodeOwners(const api::GpuPool& before, const api::GpuPool& after) {
  return before.metadata.generation != after.metadata.generation ||
         before.metadata.deleting() != after.metadata.deleting() ||
         claimKey(before) != claimKey(after);
}

bool changesNodeOwners(const api::PoolLease& before, const api::PoolLease& after) {
  return before.metadata.uid != after.metadata.uid ||
         before.metadata.generation != after.metadata.generation ||
         before.metadata.deleting() != after.metadata.deleting() ||
         before.status.phase != after.status.phase || drainDeadline(before) != drainDeadline(after);
}

}  // namespace landlord::controllers
