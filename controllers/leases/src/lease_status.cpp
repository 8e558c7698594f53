// A PoolLease's handover progress per step, and what it earns.
#include "landlord/controllers/leases/lease_status.h"

#include <algorithm>
#include <set>

#include "landlord/controllers/pools/pool_status.h"
#include "landlord/placement/lease.h"
#include "landlord/placement/money.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

namespace {

std::vector<std::string> stepNames(placement::HandoverStage stage) {
  return {std::string(placement::toString(stage))};
}

api::StepProgress& stepEntry(std::vector<api::StepProgress>& steps, const std::string& name,
                             const std::string& now) {
  for (api::StepProgress& entry : steps) {
    if (entry.name == name) {
      return entry;
    }
  }
  api::StepProgress& entry = steps.emplace_back();
  entry.name = name;
  entry.startedAt = now;
  return entry;
}

}  // namespace

void recordProgress(api::PoolLeaseStatus& status, const placement::HandoverPlan& plan,
                    const std::string& lease, const std::string& now) {
  api::Progress& progress = status.progress ? *status.progress : status.progress.emplace();
  std::vector<api::StepProgress>& steps = progress.steps;
  std::set<std::string> planned;
  const placement::HandoverStep* current = nullptr;
  for (const placement::HandoverStep& step : plan.steps) {
    if (step.lease != lease) {
      continue;
    }
    current = current ? current : &step;
    const std::int64_t left = static_cast<std::int64_t>(
        step.stage == placement::HandoverStage::Evict ? step.evictions.size()
                                                      : step.nodeChanges.size());
    for (const std::string& name : stepNames(step.stage)) {
      planned.insert(name);
      api::StepProgress& entry = stepEntry(steps, name, now);
      const std::int64_t total = std::max(entry.total, left);
      entry.total = total;
      entry.completed = total - left;
      entry.completedAt.clear();
      entry.message = step.summary;
    }
  }
  for (api::StepProgress& entry : steps) {
    if (!planned.contains(entry.name) && entry.completedAt.empty()) {
      entry.completed = entry.total;
      entry.completedAt = now;
    }
  }
  progress.step = current ? stepNames(current->stage).front() : "Done";
  progress.summary = current ? current->summary : "nothing left to do for lease " + lease;
}

double recordRevenue(api::PoolLeaseStatus& status, const api::PoolLease& lease,
                     const api::GpuPool& pool) {
  placement::PoolMetrics metrics;
  metrics.nodes = pool.status.nodes.value_or(0);
  metrics.gpus = pool.status.gpus.value_or(0);
  const std::string& listHourly = pool.status.hourlyListRate;
  metrics.listHourly = placement::Money::parse(listHourly.empty() ? "0" : listHourly);
  std::optional<placement::Money> negotiated;
  if (!lease.spec.ratePerGPUHour.empty()) {
    negotiated = placement::Money::parse(lease.spec.ratePerGPUHour);
  }
  const placement::LeaseRevenue revenue = placement::leaseRevenue(metrics, negotiated);
  status.nodes = metrics.nodes;
  status.gpus = metrics.gpus;
  status.ratePerGPUHour = revenue.ratePerGpuHour;
  status.hourlyRate = decimalText(revenue.hourly);
  status.annualisedRevenue = decimalText(revenue.annual);
  return static_cast<double>(revenue.hourly.micros()) / placement::Money::kMicrosPerDollar;
}

}  // namespace landlord::controllers
