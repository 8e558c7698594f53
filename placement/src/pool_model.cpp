#include "landlord/placement/pool_model.h"

#include <stdexcept>

namespace landlord::placement {

PoolModel::PoolModel(const Catalog& catalog) : tally_(catalog) {}

void PoolModel::upsert(const NodeFacts& node) {
  if (node.name.empty()) {
    throw std::invalid_argument("node facts without a node name");
  }
  NodeFacts next = node;
  next.name.clear();
  tally_.add(node);  // first: it throws for facts no pool can count
  auto [entry, inserted] = nodes_.try_emplace(node.name, next);
  if (!inserted) {
    tally_.subtract(entry->second);
    entry->second = std::move(next);
  }
}

bool PoolModel::remove(std::string_view nodeName) {
  const auto entry = nodes_.find(nodeName);
  if (entry == nodes_.end()) {
    return false;
  }
  tally_.subtract(entry->second);
  nodes_.erase(entry);
  return true;
}

bool PoolModel::contains(std::string_view nodeName) const {
  return nodes_.contains(nodeName);
}

}  // namespace landlord::placement
