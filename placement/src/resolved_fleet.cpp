#include "landlord/placement/resolved_fleet.h"

#include "landlord/placement/errors.h"

namespace landlord::placement {

namespace {

class Problems {
 public:
  explicit Problems(std::string_view source) : source_(source) {}

  void add(int line, const std::string& reason) {
    text_ += text_.empty() ? "" : "\n";
    text_ += source_ + ":" + std::to_string(line) + ": " + reason;
  }
  void throwIfAny() const {
    if (!text_.empty()) {
      throw ResolveError(text_);
    }
  }

 private:
  std::string source_;
  std::string text_;
};

std::string knownProducts(const Catalog& catalog) {
  std::string known;
  for (const GpuModel& model : catalog.models()) {
    for (const std::string& product : model.products) {
      known += known.empty() ? "" : ", ";
      known += product;
    }
  }
  return known;
}

}  // namespace

std::int64_t ResolvedFleet::gpus() const {
  std::int64_t total = 0;
  for (const ResolvedPool& pool : pools) {
    total += pool.metrics.gpus;
  }
  return total;
}

H100Eq ResolvedFleet::trainingEq() const {
  H100Eq total;
  for (const ResolvedPool& pool : pools) {
    total = total + pool.metrics.trainingEq;
  }
  return total;
}

Money ResolvedFleet::listHourly() const {
  Money total;
  for (const ResolvedPool& pool : pools) {
    total += pool.metrics.listHourly;
  }
  return total;
}

const ResolvedPool* ResolvedFleet::findPool(std::string_view poolName) const {
  for (const ResolvedPool& pool : pools) {
    if (pool.name == poolName) {
      return &pool;
    }
  }
  return nullptr;
}

ResolvedFleet resolveFleet(const FleetSpec& fleet, const Catalog& catalog) {
  Problems problems(fleet.source);
  ResolvedFleet resolved;
  resolved.name = fleet.name;
  if (fleet.trainingValuePerH100EqHour) {
    resolved.trainingValuePerH100EqHour = *fleet.trainingValuePerH100EqHour;
  } else if (const auto h100 = catalog.findModel("H100")) {
    resolved.trainingValuePerH100EqHour = catalog.model(*h100).listRatePerGpuHour;
  } else {
    problems.add(1,
                 "trainingValuePerH100EqHour: the catalog has no H100 model to take the default "
                 "from; set it in the fleet file");
  }
  for (std::size_t p = 0; p < fleet.pools.size(); ++p) {
    const PoolSpec& spec = fleet.pools[p];
    const std::string path = "pools[" + std::to_string(p) + "]";
    ResolvedPool pool{.name = spec.name,
                      .composition = Composition(catalog.size()),
                      .pricing = {},
                      .observedTrainingEfficiency = spec.observedTrainingEfficiency,
                      .metrics = {}};
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
      const NodeGroupSpec& group = spec.groups[g];
      const ModelTally tally{.nodes = group.nodes(),
                             .gpus = group.gpus,
                             .schedulableNodes = group.nodes(),
                             .schedulableGpus = group.gpus};
      if (const auto model = catalog.findProduct(group.product)) {
        pool.composition.add(*model, tally);
      } else {
        problems.add(group.line, path + ".groups[" + std::to_string(g) +
                                     "].product: unknown GPU product \"" + group.product +
                                     "\" (the catalog knows " + knownProducts(catalog) + ")");
      }
    }
    for (const auto& [modelName, rate] : spec.pricing) {
      if (!catalog.findModel(modelName)) {
        problems.add(spec.line,
                     path + ".pricing." + modelName + ": unknown GPU model \"" + modelName + "\"");
      }
      pool.pricing.emplace(modelName, rate);
    }
    pool.metrics = computeMetrics(pool.composition, catalog, pool.pricing);
    resolved.pools.push_back(std::move(pool));
  }
  problems.throwIfAny();
  return resolved;
}

}  // namespace landlord::placement
