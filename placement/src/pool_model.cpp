#include "landlord/placement/pool_model.h"

#include <stdexcept>

namespace landlord::placement {

namespace {

ModelTally tallyOf(const NodeFacts& node) {
  const bool schedulable = node.ready && !node.unschedulable;
  return ModelTally{.nodes = 1,
                    .gpus = node.gpus,
                    .schedulableNodes = schedulable ? 1 : 0,
                    .schedulableGpus = schedulable ? node.gpus : 0};
}

}  // namespace

PoolModel::PoolModel(const Catalog& catalog) : catalog_(&catalog), composition_(catalog.size()) {}

void PoolModel::upsert(const NodeFacts& node) {
  if (node.name.empty()) {
    throw std::invalid_argument("node facts without a node name");
  }
  if (node.gpus < 0) {
    throw std::invalid_argument("node \"" + node.name + "\" reports a negative GPU count");
  }
  Contribution next{
      .model = catalog_->findProduct(node.product), .unknownProduct = {}, .tally = tallyOf(node)};
  if (!next.model) {
    next.unknownProduct = node.product;
  }
  auto [entry, inserted] = nodes_.try_emplace(node.name, next);
  if (!inserted) {
    subtract(entry->second);
    entry->second = std::move(next);
  }
  add(entry->second);
}

bool PoolModel::remove(std::string_view nodeName) {
  const auto entry = nodes_.find(nodeName);
  if (entry == nodes_.end()) {
    return false;
  }
  subtract(entry->second);
  nodes_.erase(entry);
  return true;
}

bool PoolModel::contains(std::string_view nodeName) const {
  return nodes_.contains(nodeName);
}

void PoolModel::add(const Contribution& contribution) {
  if (contribution.model) {
    composition_.add(*contribution.model, contribution.tally);
    return;
  }
  composition_.addUnknown(contribution.tally);
  unknownProducts_[contribution.unknownProduct] += contribution.tally;
}

void PoolModel::subtract(const Contribution& contribution) {
  if (contribution.model) {
    composition_.subtract(*contribution.model, contribution.tally);
    return;
  }
  composition_.subtractUnknown(contribution.tally);
  const auto product = unknownProducts_.find(contribution.unknownProduct);
  product->second -= contribution.tally;
  if (product->second.nodes == 0) {
    unknownProducts_.erase(product);
  }
}

}  // namespace landlord::placement
