#include "landlord/placement/pool_metrics.h"

#include <algorithm>
#include <optional>

#include "arithmetic.h"

namespace landlord::placement {

namespace {

Money rateFor(const GpuModel& model, const PricingOverrides& pricing) {
  const auto override = pricing.find(model.name);
  return override == pricing.end() ? model.listRatePerGpuHour : override->second;
}

}  // namespace

H100Eq PoolMetrics::effectiveTrainingEq() const {
  const detail::Wide scaled =
      detail::divideRounded(detail::Wide{trainingEq.units()} * stragglerEfficiency.numerator,
                            stragglerEfficiency.denominator);
  return H100Eq::fromUnits(detail::narrow(scaled, "H100-eq overflow"));
}

std::string PoolMetrics::weightedRatePerGpuHour(int places) const {
  if (gpus == 0) {
    return "0";
  }
  return formatAverage(listHourly, gpus, places);
}

PoolMetrics computeMetrics(const Composition& composition, const Catalog& catalog,
                           const PricingOverrides& pricing) {
  PoolMetrics metrics;
  metrics.nodes = composition.total().nodes;
  metrics.unknownGpus = composition.unknown().gpus;
  std::optional<H100Eq> slowest;
  for (ModelId id = 0; id < composition.modelCount(); ++id) {
    const ModelTally& tally = composition.of(id);
    if (tally.gpus == 0) {
      continue;
    }
    const GpuModel& model = catalog.model(id);
    ModelShare share{.model = id,
                     .name = model.name,
                     .architecture = model.architecture,
                     .tally = tally,
                     .trainingEq = model.trainingEq.times(tally.gpus),
                     .inferenceEq = model.inferenceEq.times(tally.gpus),
                     .ratePerGpuHour = rateFor(model, pricing),
                     .hourly = {}};
    share.hourly = share.ratePerGpuHour.times(tally.gpus);
    metrics.gpus += tally.gpus;
    metrics.schedulableGpus += tally.schedulableGpus;
    metrics.trainingEq = metrics.trainingEq + share.trainingEq;
    metrics.inferenceEq = metrics.inferenceEq + share.inferenceEq;
    metrics.listHourly += share.hourly;
    if (!slowest || model.trainingEq < *slowest) {
      slowest = model.trainingEq;
    }
    if (std::find(metrics.architectures.begin(), metrics.architectures.end(), model.architecture) ==
        metrics.architectures.end()) {
      metrics.architectures.push_back(model.architecture);
    }
    metrics.models.push_back(std::move(share));
  }
  std::sort(metrics.architectures.begin(), metrics.architectures.end());
  metrics.homogeneous = metrics.models.size() == 1 && metrics.unknownGpus == 0;
  if (slowest) {
    metrics.stragglerEfficiency = Ratio{.numerator = slowest->times(metrics.gpus).units(),
                                        .denominator = metrics.trainingEq.units()};
  }
  return metrics;
}

}  // namespace landlord::placement
