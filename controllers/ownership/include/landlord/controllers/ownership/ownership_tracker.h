#pragma once

// Per pool, how many member nodes are converged on their desired owner, pending
// or blocked, kept current by the node ownership reconciler (one record per node,
// each time it looks at a node) so that a PoolLease or GPUPool reconcile reads
// counters instead of walking 30,000 nodes.
//
// Each record names the pool's desired state it was judged against (a fingerprint:
// nobody's, a lease's own, a lease's hold, ...). When a pool's desired state
// changes (a lease goes Releasing, a claim moves), its nodes are re-judged one by
// one; until then the counts for the new fingerprint simply do not include them.
// The counts are a summary, never the last word: a lease changes phase only after
// a walk over the pool's members confirms them (see pool_ownership.h).

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace landlord::controllers {

enum class NodeOwnershipState { Converged, Pending, Evicting, Blocked };

struct NodeOwnershipRecord {
  std::string pool;         // the pool the node was a member of; empty for none
  std::string fingerprint;  // the pool's desired state it was judged against
  NodeOwnershipState state = NodeOwnershipState::Pending;
  std::int64_t podsLeaving = 0;
  bool foreignPods = false;  // the pods leaving belong to another tenant than the owner
  std::string reason;        // why it is blocked
};

struct OwnershipCounts {
  std::int64_t converged = 0;
  std::int64_t pending = 0;
  std::int64_t evicting = 0;
  std::int64_t blocked = 0;
  std::int64_t podsLeaving = 0;
  std::vector<std::string> reasons;  // "node n7: ...", at most kExampleReasons, by node name

  std::int64_t recorded() const { return converged + pending + evicting + blocked; }
  bool operator==(const OwnershipCounts&) const = default;
};

// Thread-safe (mutex_): node reconcile workers write, lease and pool reconciles read.
class OwnershipTracker {
 public:
  static constexpr std::size_t kExampleReasons = 5;

  // What a record changed, for deciding whom to wake.
  struct Change {
    bool settledChanged = false;  // whether the pool's nodes are all settled flipped
    bool blockedChanged = false;  // the pool's blocked nodes went from none to some, or back
    bool foreignFound = false;    // this node newly has another tenant's pods to evict
  };

  Change record(const std::string& node, NodeOwnershipRecord record);
  // The node is gone, or no longer in the pool it was recorded for.
  void forget(const std::string& node);
  void forgetUnlessIn(const std::string& node, const std::string& pool);

  OwnershipCounts counts(const std::string& pool, const std::string& fingerprint) const;

 private:
  struct Tally {
    std::int64_t states[4] = {0, 0, 0, 0};
    std::int64_t podsLeaving = 0;
    std::map<std::string, std::string> blockedReasons;  // node -> reason
  };
  void add(const std::string& node, const NodeOwnershipRecord& record, int sign);
  const Tally* find(const std::string& pool, const std::string& fingerprint) const;
  bool settled(const std::string& pool, const std::string& fingerprint) const;
  bool anyBlocked(const std::string& pool, const std::string& fingerprint) const;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, NodeOwnershipRecord> nodes_;  // guarded by mutex_
  // pool -> fingerprint -> tally; guarded by mutex_
  std::map<std::string, std::map<std::string, Tally>> pools_;
};

}  // namespace landlord::controllers
