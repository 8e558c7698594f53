// A PoolLease's handover progress per step, and what it earns.
#include "landlord/controllers/leases/lease_status.h"

#include <algorithm>

#include "landlord/controllers/pools/pool_status.h"
#include "landlord/placement/lease.h"
#include "landlord/placement/money.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

namespace {

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

void recordProgress(api::PoolLeaseStatus& status, const std::vector<StepCount>& counts,
                    const std::string& lease, const std::string& now) {
  api::Progress& progress = status.progress ? *status.progress : status.progress.emplace();
  const StepCount* current = nullptr;
  for (const StepCount& count : counts) {
    api::StepProgress& entry = stepEntry(progress.steps, count.name, now);
    entry.total = std::max({entry.total, count.total, count.left});
    entry.completed = entry.total - count.left;
    entry.message = count.summary;
    if (count.left > 0) {
      current = current ? current : &count;
      entry.completedAt.clear();
    } else if (entry.completedAt.empty()) {
      entry.completedAt = now;
    }
  }
  progress.step = current ? current->name : "Done";
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
