// The PoolIndex: every pool's membership and status summary, kept current per node and pool event.
#include "landlord/controllers/nodes/pool_index.h"

#include <algorithm>
#include <stdexcept>

#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/nodes/selector.h"

namespace landlord::controllers {

namespace {

template <class Map>
void decrement(Map& counts, const typename Map::key_type& key) {
  const auto it = counts.find(key);
  if (it != counts.end() && --it->second == 0) {
    counts.erase(it);
  }
}

// std::set::erase takes a key of its own type until C++23.
template <class Names>
void eraseName(Names& names, std::string_view name) {
  if (const auto it = names.find(name); it != names.end()) {
    names.erase(it);
  }
}

template <class Range>
std::vector<std::string> firstNames(const Range& names) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    if (out.size() == kExampleNodes) {
      break;
    }
    out.push_back(name);
  }
  return out;
}

}  // namespace

PoolIndex::PoolIndex(const placement::Catalog& catalog) : catalog_(catalog) {}

PoolIndex::Relation PoolIndex::relate(const NodeInfo& node) const {
  std::vector<std::string> selecting;
  std::vector<std::string> live;
  for (const auto& [name, pool] : pools_) {
    if (selectorMatches(pool.selector, node.labels)) {
      selecting.push_back(name);
      if (!pool.deleting) {
        live.push_back(name);
      }
    }
  }
  // As computeMembership: a pool's own deletion does not stop it counting its
  // nodes, but a pool being deleted takes no node from another.
  Relation relation;
  for (const std::string& pool : selecting) {
    std::vector<std::string> others;
    std::copy_if(live.begin(), live.end(), std::back_inserter(others),
                 [&](const std::string& other) { return other != pool; });
    if (others.empty()) {
      relation.memberOf.push_back(pool);
    } else {
      relation.conflictingIn.emplace_back(pool, std::move(others));
    }
  }
  const auto labelled = node.label(api::kPoolLabel);
  // An empty value names no pool: no GPUPool, and so no reconcile, has that name.
  if (!labelled || labelled->empty()) {
    return relation;
  }
  if (!pools_.contains(*labelled)) {
    relation.orphanLabelOf = *labelled;
  } else if (std::find(relation.memberOf.begin(), relation.memberOf.end(), *labelled) ==
             relation.memberOf.end()) {
    relation.staleLabelOf = *labelled;
  }
  return relation;
}

bool PoolIndex::labelledAsMember(const NodeInfo& node, const std::string& pool) const {
  if (node.label(api::kPoolLabel) != pool) {
    return false;
  }
  const auto model = catalog_.findProduct(node.product());
  const std::optional<std::string> wanted =
      model ? std::optional<std::string>(catalog_.model(*model).name) : std::nullopt;
  return node.label(api::kGpuModelLabel) == wanted;
}

const PoolIndex::Relation* PoolIndex::intern(Relation relation) {
  const auto [it, inserted] = relations_.try_emplace(std::move(relation), 0);
  ++it->second;
  return &it->first;
}

void PoolIndex::release(const Relation* relation) {
  const auto it = relations_.find(*relation);
  if (it != relations_.end() && --it->second == 0) {
    relations_.erase(it);
  }
}

void PoolIndex::attach(NodeEntry& entry) {
  entry.relation = intern(relate(entry.node->value));
  const Relation& relation = *entry.relation;
  const std::string_view name = entry.node->meta.name();
  const NodeInfo& info = entry.node->value;
  const auto model = catalog_.findProduct(info.product());
  for (const std::string& poolName : relation.memberOf) {
    PoolEntry& pool = pools_.at(poolName);
    pool.tally.add(factsOf(*entry.node));
    pool.members.emplace(name, &entry);
    if (model) {
      ++pool.productsByModel[catalog_.model(*model).name][std::string(info.product())];
    } else {
      pool.unknownProductNodes[std::string(info.product())].emplace(name);
    }
  }
  for (const auto& [poolName, others] : relation.conflictingIn) {
    PoolEntry& pool = pools_.at(poolName);
    pool.conflicting.emplace(name);
    for (const std::string& other : others) {
      ++pool.conflictingWith[other];
    }
  }
  if (relation.staleLabelOf) {
    pools_.at(*relation.staleLabelOf).staleLabelled.emplace(name);
  }
  if (relation.orphanLabelOf) {
    orphanLabelled_[*relation.orphanLabelOf].emplace(name);
  }
}

void PoolIndex::detach(const NodeEntry& entry) {
  const Relation& relation = *entry.relation;
  const std::string_view name = entry.node->meta.name();
  const NodeInfo& info = entry.node->value;
  const auto model = catalog_.findProduct(info.product());
  for (const std::string& poolName : relation.memberOf) {
    PoolEntry& pool = pools_.at(poolName);
    pool.tally.subtract(factsOf(*entry.node));
    pool.members.erase(name);
    if (model) {
      auto& products = pool.productsByModel[catalog_.model(*model).name];
      decrement(products, std::string(info.product()));
      if (products.empty()) {
        pool.productsByModel.erase(catalog_.model(*model).name);
      }
    } else if (auto it = pool.unknownProductNodes.find(std::string(info.product()));
               it != pool.unknownProductNodes.end()) {
      eraseName(it->second, name);
      if (it->second.empty()) {
        pool.unknownProductNodes.erase(it);
      }
    }
  }
  for (const auto& [poolName, others] : relation.conflictingIn) {
    PoolEntry& pool = pools_.at(poolName);
    eraseName(pool.conflicting, name);
    for (const std::string& other : others) {
      decrement(pool.conflictingWith, other);
    }
  }
  if (relation.staleLabelOf) {
    eraseName(pools_.at(*relation.staleLabelOf).staleLabelled, name);
  }
  if (relation.orphanLabelOf) {
    if (auto it = orphanLabelled_.find(*relation.orphanLabelOf); it != orphanLabelled_.end()) {
      eraseName(it->second, name);
      if (it->second.empty()) {
        orphanLabelled_.erase(it);
      }
    }
  }
  release(entry.relation);
}

void PoolIndex::relateAllNodes() {
  for (auto& [name, pool] : pools_) {
    PoolEntry fresh(catalog_);
    fresh.selector = std::move(pool.selector);
    fresh.deleting = pool.deleting;
    pool = std::move(fresh);
  }
  orphanLabelled_.clear();  // rebuilt below: the changed pool may adopt or orphan any node
  relations_.clear();
  for (auto& [name, entry] : nodes_) {
    attach(entry);
  }
}

bool PoolIndex::Visible::operator==(const Visible& other) const {
  return relation == other.relation && facts.product == other.facts.product &&
         facts.gpus == other.facts.gpus && facts.ready == other.facts.ready &&
         facts.unschedulable == other.facts.unschedulable &&
         labelledAsMember == other.labelledAsMember;
}

PoolIndex::Visible PoolIndex::visible(const NodeEntry& entry) const {
  Visible seen{*entry.relation, factsOf(*entry.node), {}};
  for (const std::string& pool : entry.relation->memberOf) {
    seen.labelledAsMember.push_back(labelledAsMember(entry.node->value, pool));
  }
  return seen;
}

void PoolIndex::addPoolsOf(const Relation& relation, std::set<std::string>& pools) {
  pools.insert(relation.memberOf.begin(), relation.memberOf.end());
  for (const auto& [pool, others] : relation.conflictingIn) {
    pools.insert(pool);
  }
  if (relation.staleLabelOf) {
    pools.insert(*relation.staleLabelOf);
  }
  if (relation.orphanLabelOf) {
    pools.insert(*relation.orphanLabelOf);
  }
}

std::vector<std::string> PoolIndex::upsertNode(const NodePtr& node) {
  // The index's keys view the name inside the cached node itself.
  const std::string_view name = node->meta.name();
  if (node->value.gpus < 0) {
    removeNode(std::string(name));  // counted nowhere rather than counted wrong
    throw std::invalid_argument("node \"" + std::string(name) +
                                "\" reports a negative GPU count (" +
                                std::to_string(node->value.gpus) + "); left out of every pool");
  }
  std::lock_guard lock(mutex_);
  std::set<std::string> changed;
  auto it = nodes_.find(name);
  std::optional<Visible> before;
  if (it == nodes_.end()) {
    it = nodes_.emplace(name, NodeEntry{node}).first;
  } else {
    before = visible(it->second);
    addPoolsOf(*it->second.relation, changed);
    detach(it->second);
    // The key views the old node's name: re-key it to the new node's.
    auto handle = nodes_.extract(it);
    handle.key() = name;
    handle.mapped().node = node;
    it = nodes_.insert(std::move(handle)).position;
  }
  attach(it->second);
  if (before && *before == visible(it->second)) {
    return {};
  }
  addPoolsOf(*it->second.relation, changed);
  return {changed.begin(), changed.end()};
}

std::vector<std::string> PoolIndex::removeNode(const std::string& name) {
  std::lock_guard lock(mutex_);
  const auto it = nodes_.find(name);
  if (it == nodes_.end()) {
    return {};
  }
  std::set<std::string> changed;
  addPoolsOf(*it->second.relation, changed);
  detach(it->second);
  nodes_.erase(it);
  return {changed.begin(), changed.end()};
}

void PoolIndex::upsertPool(const api::GpuPool& object) {
  const std::string& name = object.metadata.name;
  api::LabelSelector selector = object.spec.nodeSelector;
  const bool deleting = object.metadata.deleting();
  std::lock_guard lock(mutex_);
  auto it = pools_.find(name);
  if (it != pools_.end() && it->second.selector == selector && it->second.deleting == deleting) {
    return;  // a status write: membership cannot have changed
  }
  if (it == pools_.end()) {
    it = pools_.emplace(name, PoolEntry(catalog_)).first;
  }
  it->second.selector = std::move(selector);
  it->second.deleting = deleting;
  relateAllNodes();
}

void PoolIndex::removePool(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (pools_.erase(name) > 0) {
    relateAllNodes();
  }
}

std::optional<PoolSummary> PoolIndex::summary(const std::string& poolName) const {
  std::lock_guard lock(mutex_);
  const auto it = pools_.find(poolName);
  if (it == pools_.end()) {
    return std::nullopt;
  }
  const PoolEntry& pool = it->second;
  PoolSummary summary;
  summary.composition = pool.tally.composition();
  for (const auto& [model, products] : pool.productsByModel) {
    for (const auto& [product, nodes] : products) {
      summary.productsByModel[model].insert(product);
    }
  }
  for (const auto& [product, tally] : pool.tally.unknownProducts()) {
    const auto names = pool.unknownProductNodes.find(product);
    summary.unknownProducts.push_back({product, tally.nodes, tally.gpus,
                                       names == pool.unknownProductNodes.end()
                                           ? std::vector<std::string>{}
                                           : firstNames(names->second)});
  }
  summary.conflictingNodes = static_cast<std::int64_t>(pool.conflicting.size());
  summary.conflictingExamples = firstNames(pool.conflicting);
  for (const auto& [other, count] : pool.conflictingWith) {
    summary.conflictingPools.push_back(other);
  }
  return summary;
}

std::optional<std::string> PoolIndex::poolOf(std::string_view node) const {
  std::lock_guard lock(mutex_);
  const auto it = nodes_.find(node);
  if (it == nodes_.end() || it->second.relation->memberOf.size() != 1) {
    return std::nullopt;
  }
  const std::string& pool = it->second.relation->memberOf.front();
  if (pools_.at(pool).deleting) {
    return std::nullopt;
  }
  return pool;
}

std::size_t PoolIndex::memberCount(const std::string& poolName) const {
  std::lock_guard lock(mutex_);
  const auto it = pools_.find(poolName);
  return it == pools_.end() ? 0 : it->second.members.size();
}

std::vector<NodePtr> PoolIndex::members(const std::string& poolName) const {
  std::lock_guard lock(mutex_);
  std::vector<NodePtr> out;
  const auto it = pools_.find(poolName);
  if (it != pools_.end()) {
    out.reserve(it->second.members.size());
    for (const auto& [name, entry] : it->second.members) {
      out.push_back(entry->node);
    }
  }
  return out;
}

PoolLabelWork PoolIndex::labelWork(const std::string& poolName) const {
  std::lock_guard lock(mutex_);
  PoolLabelWork work;
  const auto it = pools_.find(poolName);
  if (it == pools_.end()) {
    if (auto orphans = orphanLabelled_.find(poolName); orphans != orphanLabelled_.end()) {
      for (const std::string& name : orphans->second) {
        work.staleLabelled.push_back(nodes_.at(name).node);
      }
    }
    return work;
  }
  for (const std::string& name : it->second.staleLabelled) {
    work.staleLabelled.push_back(nodes_.at(name).node);
  }
  return work;
}

std::vector<std::string> PoolIndex::orphanLabelledPools() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  out.reserve(orphanLabelled_.size());
  for (const auto& [pool, nodes] : orphanLabelled_) {
    out.push_back(pool);
  }
  return out;
}

void feedPoolIndex(PoolIndex& index, kube::Informer<NodeInfo>& nodes,
                   kube::Informer<api::GpuPool>& pools,
                   std::function<void(const std::string& pool)> poolChanged) {
  auto report = [poolChanged](const std::vector<std::string>& changed) {
    if (poolChanged) {
      for (const std::string& pool : changed) {
        poolChanged(pool);
      }
    }
  };
  auto upsertNode = [&index, &nodes, report](const kube::Cached<NodeInfo>& node) {
    report(index.upsertNode(nodes.share(node)));
  };
  nodes.addHandlers(kube::EventHandlers<NodeInfo>{
      upsertNode,
      [upsertNode](const kube::Cached<NodeInfo>&, const kube::Cached<NodeInfo>& updated) {
        upsertNode(updated);
      },
      [&index, report](const kube::Cached<NodeInfo>& node) {
        report(index.removeNode(std::string(node.meta.name())));
      }});
  pools.addHandlers(kube::EventHandlers<api::GpuPool>{
      [&index](const kube::Cached<api::GpuPool>& pool) { index.upsertPool(pool.value); },
      [&index](const kube::Cached<api::GpuPool>&, const kube::Cached<api::GpuPool>& updated) {
        index.upsertPool(updated.value);
      },
      [&index](const kube::Cached<api::GpuPool>& pool) {
        index.removePool(std::string(pool.meta.name()));
      }});
}

}  // namespace landlord::controllers
