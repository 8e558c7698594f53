#pragma once

#include <optional>
#include <string>
#include <vector>

#include "landlord/placement/catalog.h"
#include "landlord/placement/composition.h"
#include "landlord/placement/fleet.h"
#include "landlord/placement/pool_metrics.h"

namespace landlord::placement {

// A fleet file checked against the catalog: products resolved to models and every
// pool's figures derived.
struct ResolvedPool {
  std::string name;
  Composition composition;
  PricingOverrides pricing;
  std::optional<Ratio> observedTrainingEfficiency;
  PoolMetrics metrics;
};

struct ResolvedFleet {
  std::string name;
  std::vector<ResolvedPool> pools;
  Money trainingValuePerH100EqHour;

  std::int64_t gpus() const;
  H100Eq trainingEq() const;
  Money listHourly() const;
  const ResolvedPool* findPool(std::string_view poolName) const;
};

// Throws ResolveError listing every unknown product and unknown pricing model, each
// as "SOURCE:LINE: field.path: reason", one per line.
ResolvedFleet resolveFleet(const FleetSpec& fleet, const Catalog& catalog);

}  // namespace landlord::placement
