#include "landlord/placement/pool_tally.h"

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

PoolTally::PoolTally(const Catalog& catalog) : catalog_(&catalog), composition_(catalog.size()) {}

void PoolTally::add(const NodeFacts& node) {
  if (node.gpus < 0) {
    throw std::invalid_argument("node \"" + node.name + "\" reports a negative GPU count");
  }
  const ModelTally tally = tallyOf(node);
  if (const auto model = catalog_->findProduct(node.product)) {
    composition_.add(*model, tally);
    return;
  }
  composition_.addUnknown(tally);
  const auto product = unknownProducts_.find(node.product);
  if (product == unknownProducts_.end()) {
    unknownProducts_.emplace(node.product, tally);
  } else {
    product->second += tally;
  }
}

void PoolTally::subtract(const NodeFacts& node) {
  const ModelTally tally = tallyOf(node);
  if (const auto model = catalog_->findProduct(node.product)) {
    composition_.subtract(*model, tally);
    return;
  }
  composition_.subtractUnknown(tally);
  const auto product = unknownProducts_.find(node.product);
  if (product == unknownProducts_.end()) {
    return;
  }
  product->second -= tally;
  if (product->second.nodes == 0) {
    unknownProducts_.erase(product);
  }
}

}  // namespace landlord::placement
