#pragma once

// What each node's last ownership reconcile found, summed per pool and owner, so a
// pool's progress through a handover is read in O(1) instead of judging all of its
// 30,000 members again after every node that settles. The node ownership
// reconciler is its only writer, and every change to what a node's judgement
// reads (the node, its pods, its pool, the lease, the tenants) wakes that
// reconcile; so the ledger is as current as the nodes' own convergence. Readers
// still treat it as a hint: a node it has no standing for under the current owner
// counts as not converged, and a pool it says is settled is confirmed by a full
// walk before anything is decided on it (see OwnershipView::tally).
// Memory only: after a restart every node's first reconcile records it again.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "landlord/operator/base/packed_text.h"

namespace landlord::controllers {

// One node as its last reconcile judged it.
struct NodeStanding {
  std::string pool;         // empty: in no pool
  std::uint64_t owner = 0;  // ownerKeyOf() of the owner it was judged against
  bool converged = false;
  bool held = false;     // carrying the hold, or converged on it (as OwnershipTally::held)
  bool blocked = false;  // an eviction a PodDisruptionBudget refused
  std::int64_t podsLeaving = 0;
  bool operator==(const NodeStanding&) const = default;
};

// Sums over the nodes recorded in one pool against one owner.
struct StandingCounts {
  std::int64_t recorded = 0;
  std::int64_t converged = 0;
  std::int64_t held = 0;
  std::int64_t blocked = 0;
  std::int64_t podsLeaving = 0;
  bool operator==(const StandingCounts&) const = default;
};

// Thread-safe (mutex_): node reconcile workers write, pool and lease reconciles read.
class OwnershipLedger {
 public:
  // Returns whether the node's standing changed (a first record is a change).
  bool record(const std::string& node, NodeStanding standing);
  void forget(const std::string& node);
  StandingCounts counts(const std::string& pool, std::uint64_t owner) const;
  std::size_t size() const;

 private:
  using SumKey = std::pair<std::string, std::uint64_t>;  // pool, owner
  using Sums = std::map<SumKey, StandingCounts>;
  // A node's standing as kept: its pool and owner are the key of the sum that
  // counts it, so 30,000 members of a pool do not each keep the pool's name.
  struct Entry {
    Sums::iterator sum;  // sums_.end(): in no pool
    std::int64_t podsLeaving = 0;
    bool converged = false;
    bool held = false;
    bool blocked = false;
  };
  // Whether the entry already keeps this standing. A node in no pool is counted
  // nowhere, so its owner is not kept either.
  bool keeps(const Entry& entry, const NodeStanding& standing) const;
  // Counts the standing in its pool's sum; returns the entry that keeps it.
  Entry addLocked(const NodeStanding& standing);
  void subtractLocked(const Entry& entry);

  mutable std::mutex mutex_;
  // By node name, packed: 88 bytes a node where a std::string key took 120.
  std::unordered_map<kube::packed::String, Entry, kube::packed::StringHash,
                     kube::packed::StringEqual>
      nodes_;  // guarded by mutex_
  Sums sums_;  // guarded by mutex_; no empty entries, so none a node's entry points at
};

}  // namespace landlord::controllers
