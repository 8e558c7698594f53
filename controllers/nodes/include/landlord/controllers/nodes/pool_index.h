#pragma once

// Every pool's membership and status summary, kept current from Node and GPUPool
// informer events, so a reconcile of a 30,000-node pool reads counters instead of
// walking the nodes. A node event costs O(pools) selector matches and a few map
// updates; a pool event (a selector can move any node) re-relates every node,
// O(nodes × pools), and pools change rarely. The results are those of
// computeMembership + summarize over the same caches.
//
// It also remembers the nodes labelled with a pool it does not hold (the pool was
// deleted, possibly while no operator ran), so the pool's controller can take those
// labels back without a finalizer.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "landlord/controllers/nodes/pool_membership.h"
#include "landlord/controllers/pools/pool_status.h"
#include "landlord/placement/catalog.h"
#include "landlord/placement/pool_tally.h"

namespace landlord::controllers {

// Nodes whose landlord.dev/pool label the pool's controller must take back:
// non-members still labelled with the pool. (Members are labelled by their own
// ownership reconciles.)
struct PoolLabelWork {
  std::vector<NodePtr> staleLabelled;
};

// Thread-safe (mutex_): informer threads write, reconcile workers read copies.
class PoolIndex {
 public:
  explicit PoolIndex(const placement::Catalog& catalog);  // the catalog must outlive the index

  // Both return the pools whose summary or label work the event changed (members,
  // conflicts, stale or orphan labels, before or after), sorted: none for a change
  // no pool can see, such as a tenant's label or taint on a member.
  std::vector<std::string> upsertNode(const NodePtr& node);
  std::vector<std::string> removeNode(const std::string& name);
  // Only the pool's name, selector and deletion mark are read.
  void upsertPool(const api::GpuPool& pool);
  void removePool(const std::string& name);

  // nullopt for a pool the index has not seen.
  std::optional<PoolSummary> summary(const std::string& pool) const;
  // The pool's members, sorted by name (as PoolMembership::members).
  std::vector<NodePtr> members(const std::string& pool) const;
  std::size_t memberCount(const std::string& pool) const;
  // The one pool the node belongs to now: none when no pool selects it, when
  // several do, or when its pool is being deleted.
  std::optional<std::string> poolOf(std::string_view node) const;
  // For a pool the index does not hold: no members, and as staleLabelled every node
  // still labelled with it.
  PoolLabelWork labelWork(const std::string& pool) const;
  // Sorted names of the pools the index does not hold that some node is labelled with.
  std::vector<std::string> orphanLabelledPools() const;

 private:
  // Node names as std::string_view are views of the name in the cached node the
  // same entry holds (members, nodes_): one copy of each name, however many maps
  // find the node by it.
  using Names = std::set<std::string, std::less<>>;
  struct NodeEntry;
  struct PoolEntry {
    explicit PoolEntry(const placement::Catalog& catalog) : tally(catalog) {}
    api::LabelSelector selector;
    bool deleting = false;
    placement::PoolTally tally;  // members' composition and unknown products
    // By name; an entry of nodes_, whose address holds while it is a member.
    std::map<std::string_view, const NodeEntry*> members;
    std::map<std::string, std::map<std::string, int>> productsByModel;  // model -> product -> nodes
    std::map<std::string, Names> unknownProductNodes;                   // product -> names
    Names conflicting;
    std::map<std::string, int> conflictingWith;  // other pool -> conflicting nodes shared
    Names staleLabelled;                         // non-members labelled with this pool
  };

  // How one node relates to the pools, as computed when it was attached, so that
  // detaching takes back exactly what attaching added.
  struct Relation {
    std::vector<std::string> memberOf;
    std::vector<std::pair<std::string, std::vector<std::string>>> conflictingIn;  // pool, others
    std::optional<std::string> staleLabelOf;
    std::optional<std::string> orphanLabelOf;  // labelled with a pool not in pools_
    auto operator<=>(const Relation&) const = default;
  };
  struct NodeEntry {
    NodePtr node;
    const Relation* relation = nullptr;  // a key of relations_
  };

  Relation relate(const NodeInfo& node) const;
  // Nodes share their relation: a pool's 30,000 members relate to the pools alike.
  const Relation* intern(Relation relation);
  void release(const Relation* relation);
  bool labelledAsMember(const NodeInfo& node, const std::string& pool) const;
  void attach(NodeEntry& entry);
  void detach(const NodeEntry& entry);
  void relateAllNodes();
  // What of a node the pools it relates to see: its relation, its facts, and
  // whether it carries its member labels.
  struct Visible {
    Relation relation;
    placement::NodeFacts facts;
    std::vector<bool> labelledAsMember;  // per relation.memberOf
    bool operator==(const Visible&) const;
  };
  Visible visible(const NodeEntry& entry) const;
  static void addPoolsOf(const Relation& relation, std::set<std::string>& pools);

  const placement::Catalog& catalog_;
  mutable std::mutex mutex_;
  std::map<std::string, PoolEntry> pools_;                 // guarded by mutex_
  std::unordered_map<std::string_view, NodeEntry> nodes_;  // guarded by mutex_
  std::map<Relation, std::size_t> relations_;              // -> nodes holding it; guarded by mutex_
  // Pool not in pools_ -> names of the nodes labelled with it; guarded by mutex_.
  std::map<std::string, Names> orphanLabelled_;
};

// Keeps `index` current from the informers' events. Register before the informers
// start, and before any handler that enqueues reconciles reading the index, so a
// reconcile woken by an event sees it.
// `poolChanged`, when set, is called after each node event for every pool it
// changed: what a pool's reconcile must be woken for.
void feedPoolIndex(PoolIndex& index, kube::Informer<NodeInfo>& nodes,
                   kube::Informer<api::GpuPool>& pools,
                   std::function<void(const std::string& pool)> poolChanged = nullptr);

}  // namespace landlord::controllers
