#include "landlord/placement/composition.h"

#include <stdexcept>

namespace landlord::placement {

namespace {

void checkNotNegative(const ModelTally& tally) {
  if (tally.nodes < 0 || tally.gpus < 0 || tally.schedulableNodes < 0 ||
      tally.schedulableGpus < 0) {
    throw std::logic_error("composition tally went negative: a node was removed twice");
  }
}

}  // namespace

ModelTally& ModelTally::operator+=(const ModelTally& other) {
  nodes += other.nodes;
  gpus += other.gpus;
  schedulableNodes += other.schedulableNodes;
  schedulableGpus += other.schedulableGpus;
  return *this;
}

ModelTally& ModelTally::operator-=(const ModelTally& other) {
  nodes -= other.nodes;
  gpus -= other.gpus;
  schedulableNodes -= other.schedulableNodes;
  schedulableGpus -= other.schedulableGpus;
  checkNotNegative(*this);
  return *this;
}

void Composition::add(ModelId model, const ModelTally& tally) {
  byModel_.at(model) += tally;
  total_ += tally;
}

void Composition::subtract(ModelId model, const ModelTally& tally) {
  byModel_.at(model) -= tally;
  total_ -= tally;
}

void Composition::addUnknown(const ModelTally& tally) {
  unknown_ += tally;
  total_ += tally;
}

void Composition::subtractUnknown(const ModelTally& tally) {
  unknown_ -= tally;
  total_ -= tally;
}

}  // namespace landlord::placement
