#pragma once

#include <cstdint>
#include <vector>

#include "landlord/placement/catalog.h"

namespace landlord::placement {

struct ModelTally {
  std::int64_t nodes = 0;
  std::int64_t gpus = 0;
  std::int64_t schedulableNodes = 0;  // Ready and not cordoned
  std::int64_t schedulableGpus = 0;

  ModelTally& operator+=(const ModelTally& other);
  ModelTally& operator-=(const ModelTally& other);
  bool operator==(const ModelTally&) const = default;
};

// How many nodes and GPUs of each catalog model a pool holds, plus GPUs whose
// product the catalog does not know. Everything a pool's figures are derived from,
// so updating it per node is O(1) and deriving from it is O(catalog models).
class Composition {
 public:
  explicit Composition(std::size_t modelCount) : byModel_(modelCount) {}

  void add(ModelId model, const ModelTally& tally);
  void subtract(ModelId model, const ModelTally& tally);
  void addUnknown(const ModelTally& tally);
  void subtractUnknown(const ModelTally& tally);

  const ModelTally& of(ModelId model) const { return byModel_.at(model); }
  const ModelTally& unknown() const { return unknown_; }
  std::size_t modelCount() const { return byModel_.size(); }
  // All nodes and GPUs, known products and unknown.
  const ModelTally& total() const { return total_; }

  bool operator==(const Composition&) const = default;

 private:
  std::vector<ModelTally> byModel_;
  ModelTally unknown_;
  ModelTally total_;
};

}  // namespace landlord::placement
