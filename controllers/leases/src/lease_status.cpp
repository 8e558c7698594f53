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

json& stepEntry(json& steps, const std::string& name, const std::string& now) {
  for (json& entry : steps) {
    if (entry.value("name", "") == name) {
      return entry;
    }
  }
  steps.push_back({{"name", name}, {"completed", 0}, {"total", 0}, {"startedAt", now}});
  return steps.back();
}

}  // namespace

void recordProgress(json& status, const placement::HandoverPlan& plan, const std::string& lease,
                    const std::string& now) {
  json& progress = status["progress"];
  if (!progress.is_object()) {
    progress = json::object();
  }
  json& steps = progress["steps"];
  if (!steps.is_array()) {
    steps = json::array();
  }
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
      json& entry = stepEntry(steps, name, now);
      const std::int64_t total = std::max(entry.value("total", std::int64_t{0}), left);
      entry["total"] = total;
      entry["completed"] = total - left;
      entry.erase("completedAt");
      entry["message"] = step.summary;
    }
  }
  for (json& entry : steps) {
    if (!planned.contains(entry.value("name", "")) && !entry.contains("completedAt")) {
      entry["completed"] = entry.value("total", std::int64_t{0});
      entry["completedAt"] = now;
    }
  }
  progress["step"] = current ? stepNames(current->stage).front() : "Done";
  progress["summary"] = current ? current->summary : "nothing left to do for lease " + lease;
}

double recordRevenue(json& status, const json& lease, const json& pool) {
  placement::PoolMetrics metrics;
  metrics.nodes = intAt(pool, json::json_pointer("/status/nodes"));
  metrics.gpus = intAt(pool, json::json_pointer("/status/gpus"));
  const std::string listHourly = stringAt(pool, json::json_pointer("/status/hourlyListRate"));
  metrics.listHourly = placement::Money::parse(listHourly.empty() ? "0" : listHourly);
  std::optional<placement::Money> negotiated;
  const std::string rate = stringAt(lease, json::json_pointer("/spec/ratePerGPUHour"));
  if (!rate.empty()) {
    negotiated = placement::Money::parse(rate);
  }
  const placement::LeaseRevenue revenue = placement::leaseRevenue(metrics, negotiated);
  status["nodes"] = metrics.nodes;
  status["gpus"] = metrics.gpus;
  status["ratePerGPUHour"] = revenue.ratePerGpuHour;
  status["hourlyRate"] = decimalText(revenue.hourly);
  status["annualisedRevenue"] = decimalText(revenue.annual);
  return static_cast<double>(revenue.hourly.micros()) / placement::Money::kMicrosPerDollar;
}

}  // namespace landlord::controllers
