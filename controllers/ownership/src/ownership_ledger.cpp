// Per-node ownership standings and their sums per pool and owner.
#include "landlord/controllers/ownership/ownership_ledger.h"

namespace landlord::controllers {

void OwnershipLedger::addLocked(const NodeStanding& standing, int sign) {
  if (standing.pool.empty()) {
    return;  // in no pool: no pool counts it
  }
  const auto key = SumKey{standing.pool, standing.owner};
  StandingCounts& sum = sums_[key];
  sum.recorded += sign;
  sum.converged += standing.converged ? sign : 0;
  sum.held += standing.held ? sign : 0;
  sum.blocked += standing.blocked ? sign : 0;
  sum.podsLeaving += sign * standing.podsLeaving;
  if (sum.recorded == 0) {
    sums_.erase(key);
  }
}

bool OwnershipLedger::record(const std::string& node, NodeStanding standing) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = nodes_.try_emplace(node);
  if (!inserted) {
    if (it->second == standing) {
      return false;
    }
    addLocked(it->second, -1);
  }
  addLocked(standing, +1);
  it->second = std::move(standing);
  return true;
}

void OwnershipLedger::forget(const std::string& node) {
  std::lock_guard lock(mutex_);
  const auto it = nodes_.find(node);
  if (it == nodes_.end()) {
    return;
  }
  addLocked(it->second, -1);
  nodes_.erase(it);
}

StandingCounts OwnershipLedger::counts(const std::string& pool, std::uint64_t owner) const {
  std::lock_guard lock(mutex_);
  const auto it = sums_.find(SumKey{pool, owner});
  return it == sums_.end() ? StandingCounts{} : it->second;
}

std::size_t OwnershipLedger::size() const {
  std::lock_guard lock(mutex_);
  return nodes_.size();
}

}  // namespace landlord::controllers
