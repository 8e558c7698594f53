#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "landlord/placement/catalog.h"
#include "landlord/placement/composition.h"
#include "landlord/placement/money.h"
#include "landlord/placement/quantities.h"

namespace landlord::placement {

// USD per GPU-hour by catalog model name, overriding the catalog list price.
using PricingOverrides = std::map<std::string, Money, std::less<>>;

struct ModelShare {
  ModelId model = 0;
  std::string name;
  std::string architecture;
  ModelTally tally;
  H100Eq trainingEq;   // tally.gpus × the model's training factor
  H100Eq inferenceEq;  // tally.gpus × the model's inference factor
  Money ratePerGpuHour;
  Money hourly;  // tally.gpus × ratePerGpuHour
};

// A pool's derived figures; computed in O(catalog models) from its composition.
struct PoolMetrics {
  std::int64_t nodes = 0;
  std::int64_t gpus = 0;  // of known models; unknownGpus are counted apart
  std::int64_t schedulableGpus = 0;
  std::int64_t unknownGpus = 0;
  std::vector<ModelShare> models;  // models present, in catalog order
  H100Eq trainingEq;
  H100Eq inferenceEq;
  // One known model and nothing unknown: fit for synchronous training.
  bool homogeneous = false;
  std::vector<std::string> architectures;  // sorted, unique
  // N × (slowest per-GPU training speed) ÷ (sum of per-GPU speeds); 1 when homogeneous.
  Ratio stragglerEfficiency;
  Money listHourly;  // at the list (or overridden) price of each model

  Money listAnnual() const { return listHourly.times(kHoursPerYear); }
  // Effective training capacity under the straggler model: trainingEq × efficiency,
  // which is exactly N × the slowest model's factor.
  H100Eq effectiveTrainingEq() const;
  // listHourly ÷ gpus, e.g. "2.5773"; "0" for an empty pool.
  std::string weightedRatePerGpuHour(int places) const;
};

PoolMetrics computeMetrics(const Composition& composition, const Catalog& catalog,
                           const PricingOverrides& pricing = {});

}  // namespace landlord::placement
