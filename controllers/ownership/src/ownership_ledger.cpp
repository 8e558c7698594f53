// Per-node ownership standings and their sums per pool and owner.
#include "landlord/controllers/ownership/ownership_ledger.h"

namespace landlord::controllers {

OwnershipLedger::Entry OwnershipLedger::addLocked(const NodeStanding& standing) {
  Entry entry{sums_.end(), standing.podsLeaving, standing.converged, standing.held,
              standing.blocked};
  if (standing.pool.empty()) {
    return entry;  // in no pool: no pool counts it
  }
  entry.sum = sums_.try_emplace(SumKey{standing.pool, standing.owner}).first;
  StandingCounts& sum = entry.sum->second;
  sum.recorded += 1;
  sum.converged += standing.converged ? 1 : 0;
  sum.held += standing.held ? 1 : 0;
  sum.blocked += standing.blocked ? 1 : 0;
  sum.podsLeaving += standing.podsLeaving;
  return entry;
}

void OwnershipLedger::subtractLocked(const Entry& entry) {
  if (entry.sum == sums_.end()) {
    return;
  }
  StandingCounts& sum = entry.sum->second;
  sum.recorded -= 1;
  sum.converged -= entry.converged ? 1 : 0;
  sum.held -= entry.held ? 1 : 0;
  sum.blocked -= entry.blocked ? 1 : 0;
  sum.podsLeaving -= entry.podsLeaving;
  if (sum.recorded == 0) {
    sums_.erase(entry.sum);
  }
}

bool OwnershipLedger::keeps(const Entry& entry, const NodeStanding& standing) const {
  if (standing.pool.empty() != (entry.sum == sums_.end())) {
    return false;
  }
  if (entry.sum != sums_.end() &&
      (entry.sum->first.first != standing.pool || entry.sum->first.second != standing.owner)) {
    return false;
  }
  return entry.converged == standing.converged && entry.held == standing.held &&
         entry.blocked == standing.blocked && entry.podsLeaving == standing.podsLeaving;
}

bool OwnershipLedger::record(const std::string& node, NodeStanding standing) {
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(std::string_view(node));
  if (it != nodes_.end()) {
    if (keeps(it->second, standing)) {
      return false;
    }
    subtractLocked(it->second);
    it->second = addLocked(standing);
    return true;
  }
  nodes_.emplace(kube::packed::String(node), addLocked(standing));
  return true;
}

void OwnershipLedger::forget(const std::string& node) {
  std::lock_guard lock(mutex_);
  const auto it = nodes_.find(std::string_view(node));
  if (it == nodes_.end()) {
    return;
  }
  subtractLocked(it->second);
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
