#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "landlord/placement/money.h"
#include "landlord/placement/quantities.h"
#include "landlord/placement/resolved_fleet.h"

namespace landlord::placement {

enum class Recommendation { Keep, Lease };
enum class EfficiencySource { StragglerModel, Observed };

std::string_view toString(Recommendation recommendation);
std::string_view toString(EfficiencySource source);

// Whether a pool is worth more to the owner kept for its own training or leased
// whole for inference, with every figure that drives the answer.
struct PoolAdvice {
  std::string pool;
  std::int64_t gpus = 0;
  H100Eq trainingEq;
  Ratio efficiency;
  EfficiencySource efficiencySource = EfficiencySource::StragglerModel;
  Money valuePerH100EqHour;
  Money keptHourly;                    // trainingEq × efficiency × valuePerH100EqHour
  Money leasedHourly;                  // the pool's list hourly rate
  std::string weightedRatePerGpuHour;  // leasedHourly ÷ gpus, 4 places
  Recommendation recommendation = Recommendation::Keep;
  Money advantageHourly;  // how much more the recommendation earns per hour
  std::string rationale;  // one line a human can check by hand
};

// One advice per pool in fleet order. Ties keep the pool: leasing must earn more.
std::vector<PoolAdvice> advise(const ResolvedFleet& fleet);

}  // namespace landlord::placement
