#include "landlord/controllers/tenants/tenant_reconciler.h"

#include "landlord/controllers/pools/pool_status.h"
#include "landlord/placement/money.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

kube::Result TenantReconciler::reconcile(kube::ReconcileContext&, const kube::Request& request) {
  json tenant;
  try {
    tenant = deps_.client.get(api::tenants(), "", request.name);
  } catch (const kube::NotFoundError&) {
    return kube::Result::success();
  }
  json leases = json::array();
  std::int64_t active = 0;
  std::int64_t gpus = 0;
  placement::Money hourly;
  for (const json& lease : kube::listAll(deps_.client, api::poolLeases(), "").items) {
    if (stringAt(lease, json::json_pointer("/spec/tenant")) != request.name) {
      continue;
    }
    const std::string phase = stringAt(lease, json::json_pointer("/status/phase"));
    const std::string rate = stringAt(lease, json::json_pointer("/status/hourlyRate"));
    const std::int64_t leaseGpus = intAt(lease, json::json_pointer("/status/gpus"));
    json entry = {{"name", stringAt(lease, json::json_pointer("/metadata/name"))},
                  {"pool", stringAt(lease, json::json_pointer("/spec/pool"))},
                  {"phase", phase.empty() ? "Pending" : phase},
                  {"purpose", stringAt(lease, json::json_pointer("/spec/purpose"))},
                  {"gpus", leaseGpus}};
    if (!rate.empty()) {
      entry["hourlyRate"] = rate;
    }
    leases.push_back(std::move(entry));
    if (phase == "Active") {
      ++active;
      gpus += leaseGpus;
      hourly += placement::Money::parse(rate.empty() ? "0" : rate);
    }
  }
  json status = tenant.value("status", json::object());
  const std::int64_t generation = generationOf(tenant);
  status["observedGeneration"] = generation;
  status["leases"] = std::move(leases);
  status["activeLeases"] = active;
  status["gpus"] = gpus;
  status["hourlySpend"] = decimalText(hourly);
  status["annualisedSpend"] = decimalText(hourly.times(placement::kHoursPerYear));
  setCondition(
      status,
      Condition{"Ready", "True", "Observed",
                std::to_string(active) + " active leases, " + std::to_string(gpus) + " GPUs"},
      generation, formatTime(deps_.now()));
  if (status == tenant.value("status", json::object())) {
    return kube::Result::success();
  }
  tenant["status"] = std::move(status);
  deps_.client.update(api::tenants(), tenant, statusUpdate());
  return kube::Result::success();
}

}  // namespace landlord::controllers
