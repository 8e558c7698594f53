// Per pool and desired state, how many nodes are converged, pending or blocked.
#include "landlord/controllers/ownership/ownership_tracker.h"

namespace landlord::controllers {

namespace {

int indexOf(NodeOwnershipState state) {
  return static_cast<int>(state);
}

}  // namespace

void OwnershipTracker::add(const std::string& node, const NodeOwnershipRecord& record, int sign) {
  auto& byFingerprint = pools_[record.pool];
  Tally& tally = byFingerprint[record.fingerprint];
  tally.states[indexOf(record.state)] += sign;
  tally.podsLeaving += sign * record.podsLeaving;
  if (record.state == NodeOwnershipState::Blocked) {
    if (sign > 0) {
      tally.blockedReasons[node] = record.reason;
    } else {
      tally.blockedReasons.erase(node);
    }
  }
  const bool empty = tally.states[0] == 0 && tally.states[1] == 0 && tally.states[2] == 0 &&
                     tally.states[3] == 0;
  if (empty) {
    byFingerprint.erase(record.fingerprint);
    if (byFingerprint.empty()) {
      pools_.erase(record.pool);
    }
  }
}

const OwnershipTracker::Tally* OwnershipTracker::find(const std::string& pool,
                                                      const std::string& fingerprint) const {
  const auto p = pools_.find(pool);
  if (p == pools_.end()) {
    return nullptr;
  }
  const auto f = p->second.find(fingerprint);
  return f == p->second.end() ? nullptr : &f->second;
}

bool OwnershipTracker::settled(const std::string& pool, const std::string& fingerprint) const {
  const Tally* tally = find(pool, fingerprint);
  return !tally || tally->states[indexOf(NodeOwnershipState::Pending)] +
                           tally->states[indexOf(NodeOwnershipState::Evicting)] +
                           tally->states[indexOf(NodeOwnershipState::Blocked)] ==
                       0;
}

bool OwnershipTracker::anyBlocked(const std::string& pool, const std::string& fingerprint) const {
  const Tally* tally = find(pool, fingerprint);
  return tally && tally->states[indexOf(NodeOwnershipState::Blocked)] > 0;
}

OwnershipTracker::Change OwnershipTracker::record(const std::string& node,
                                                  NodeOwnershipRecord record) {
  std::lock_guard lock(mutex_);
  Change change;
  const bool settledBefore = settled(record.pool, record.fingerprint);
  const bool blockedBefore = anyBlocked(record.pool, record.fingerprint);
  bool hadForeign = false;
  if (const auto it = nodes_.find(node); it != nodes_.end()) {
    hadForeign = it->second.foreignPods && it->second.pool == record.pool &&
                 it->second.fingerprint == record.fingerprint;
    add(node, it->second, -1);
    nodes_.erase(it);
  }
  add(node, record, +1);
  change.settledChanged = settledBefore != settled(record.pool, record.fingerprint);
  change.blockedChanged = blockedBefore != anyBlocked(record.pool, record.fingerprint);
  change.foreignFound = record.foreignPods && !hadForeign;
  nodes_.emplace(node, std::move(record));
  return change;
}

void OwnershipTracker::forget(const std::string& node) {
  std::lock_guard lock(mutex_);
  if (const auto it = nodes_.find(node); it != nodes_.end()) {
    add(node, it->second, -1);
    nodes_.erase(it);
  }
}

void OwnershipTracker::forgetUnlessIn(const std::string& node, const std::string& pool) {
  std::lock_guard lock(mutex_);
  if (const auto it = nodes_.find(node); it != nodes_.end() && it->second.pool != pool) {
    add(node, it->second, -1);
    nodes_.erase(it);
  }
}

OwnershipCounts OwnershipTracker::counts(const std::string& pool,
                                         const std::string& fingerprint) const {
  std::lock_guard lock(mutex_);
  OwnershipCounts out;
  const Tally* tally = find(pool, fingerprint);
  if (!tally) {
    return out;
  }
  out.converged = tally->states[indexOf(NodeOwnershipState::Converged)];
  out.pending = tally->states[indexOf(NodeOwnershipState::Pending)];
  out.evicting = tally->states[indexOf(NodeOwnershipState::Evicting)];
  out.blocked = tally->states[indexOf(NodeOwnershipState::Blocked)];
  out.podsLeaving = tally->podsLeaving;
  for (const auto& [node, reason] : tally->blockedReasons) {
    if (out.reasons.size() == kExampleReasons) {
      break;
    }
    out.reasons.push_back("node " + node + ": " + reason);
  }
  return out;
}

}  // namespace landlord::controllers
