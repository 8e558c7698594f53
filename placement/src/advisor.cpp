#include "landlord/placement/advisor.h"

#include "arithmetic.h"
#include "landlord/placement/decimal.h"

namespace landlord::placement {

namespace {

Money keptValue(H100Eq trainingEq, const Ratio& efficiency, Money valuePerEqHour) {
  const detail::Wide numerator =
      detail::Wide{trainingEq.units()} * efficiency.numerator * valuePerEqHour.micros();
  const detail::Wide denominator = detail::Wide{efficiency.denominator} * H100Eq::kUnitsPerEq;
  return Money::fromMicros(
      detail::narrow(detail::divideRounded(numerator, denominator), "kept value overflow"));
}

std::string rationaleOf(const PoolAdvice& advice) {
  std::string text = "kept " + advice.keptHourly.format() + "/h (" + advice.trainingEq.format() +
                     " training H100-eq x " + advice.efficiency.format(2) + " " +
                     std::string(toString(advice.efficiencySource)) + " efficiency x " +
                     advice.valuePerH100EqHour.format() + ") vs leased " +
                     advice.leasedHourly.format() + "/h (" +
                     formatDecimal(advice.gpus, 0, {.places = 0, .groupThousands = true}) +
                     " GPUs at $" + advice.weightedRatePerGpuHour + " weighted) -> " +
                     std::string(toString(advice.recommendation));
  if (advice.advantageHourly.micros() > 0) {
    text += ", +" + advice.advantageHourly.format() + "/h";
  }
  return text;
}

}  // namespace

std::string_view toString(Recommendation recommendation) {
  return recommendation == Recommendation::Lease ? "lease" : "keep";
}

std::string_view toString(EfficiencySource source) {
  return source == EfficiencySource::Observed ? "observed" : "straggler";
}

std::vector<PoolAdvice> advise(const ResolvedFleet& fleet) {
  std::vector<PoolAdvice> advice;
  advice.reserve(fleet.pools.size());
  for (const ResolvedPool& pool : fleet.pools) {
    PoolAdvice item;
    item.pool = pool.name;
    item.gpus = pool.metrics.gpus;
    item.trainingEq = pool.metrics.trainingEq;
    if (pool.observedTrainingEfficiency) {
      item.efficiency = *pool.observedTrainingEfficiency;
      item.efficiencySource = EfficiencySource::Observed;
    } else {
      item.efficiency = pool.metrics.stragglerEfficiency;
    }
    item.valuePerH100EqHour = fleet.trainingValuePerH100EqHour;
    item.keptHourly = keptValue(item.trainingEq, item.efficiency, item.valuePerH100EqHour);
    item.leasedHourly = pool.metrics.listHourly;
    item.weightedRatePerGpuHour = pool.metrics.weightedRatePerGpuHour(4);
    if (item.leasedHourly > item.keptHourly) {
      item.recommendation = Recommendation::Lease;
      item.advantageHourly = item.leasedHourly - item.keptHourly;
    } else {
      item.recommendation = Recommendation::Keep;
      item.advantageHourly = item.keptHourly - item.leasedHourly;
    }
    item.rationale = rationaleOf(item);
    advice.push_back(std::move(item));
  }
  return advice;
}

}  // namespace landlord::placement
