#include "landlord/controllers/ownership/ownership_triggers.h"

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/controllers/ownership/ownership_view.h"

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

// `after`'s conditions with the messages of `before`'s where type, status and
// reason are the same.
std::vector<api::Condition> withMessagesOf(const std::vector<api::Condition>& before,
                                           std::vector<api::Condition> after) {
  for (api::Condition& condition : after) {
    for (const api::Condition& earlier : before) {
      if (earlier.type == condition.type && earlier.status == condition.status &&
          earlier.reason == condition.reason) {
        condition.message = earlier.message;
      }
    }
  }
  return after;
}

// Same steps, each as far (done or not) as before: only counts and messages moved.
bool sameSteps(const api::Progress& before, const api::Progress& after) {
  if (before.step != after.step || before.steps.size() != after.steps.size()) {
    return false;
  }
  for (std::size_t i = 0; i < before.steps.size(); ++i) {
    const api::StepProgress& a = before.steps[i];
    const api::StepProgress& b = after.steps[i];
    if (a.name != b.name || a.startedAt != b.startedAt || a.completedAt != b.completedAt) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool onlyProgressChanged(const api::GpuPool& before, const api::GpuPool& after) {
  if (!before.status.ownership || !after.status.ownership) {
    return false;
  }
  api::GpuPool same = after;
  same.metadata.resourceVersion = before.metadata.resourceVersion;
  api::OwnershipStatus& ownership = *same.status.ownership;
  const api::OwnershipStatus& earlier = *before.status.ownership;
  ownership.converged = earlier.converged;
  ownership.pending = earlier.pending;
  ownership.blocked = earlier.blocked;
  ownership.podsLeaving = earlier.podsLeaving;
  ownership.reasons = earlier.reasons;
  same.status.conditions = withMessagesOf(before.status.conditions, same.status.conditions);
  return same == before;
}

bool onlyProgressChanged(const api::PoolLease& before, const api::PoolLease& after) {
  const auto& progress = after.status.progress;
  if (!before.status.progress || !progress || !sameSteps(*before.status.progress, *progress)) {
    return false;
  }
  if (before.status.drain.has_value() != after.status.drain.has_value()) {
    return false;
  }
  api::PoolLease same = after;
  same.metadata.resourceVersion = before.metadata.resourceVersion;
  same.status.progress = before.status.progress;
  if (same.status.drain) {
    same.status.drain->podsRemaining = before.status.drain->podsRemaining;
  }
  same.status.conditions = withMessagesOf(before.status.conditions, same.status.conditions);
  return same == before;
}

bool changesNodeOwners(const api::GpuPool& before, const api::GpuPool& after) {
  return before.metadata.generation != after.metadata.generation ||
         before.metadata.deleting() != after.metadata.deleting() ||
         claimKey(before) != claimKey(after);
}

bool changesNodeOwners(const api::PoolLease& before, const api::PoolLease& after) {
  return before.metadata.uid != after.metadata.uid ||
         before.metadata.generation != after.metadata.generation ||
         before.metadata.deleting() != after.metadata.deleting() ||
         ownershipOfPhase(before.status.phase) != ownershipOfPhase(after.status.phase) ||
         drainDeadline(before) != drainDeadline(after);
}

}  // namespace landlord::controllers
