#include "landlord/controllers/placements/placement_reconciler.h"

#include <map>
#include <set>

#include "landlord/controllers/placements/placement_ledger.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

namespace {

const json::json_pointer kPhase("/status/phase");

std::string reasonFor(const std::string& message) {
  if (message.find("qualif") != std::string::npos) {
    return "ArchitectureNotQualified";
  }
  if (message.find("homogeneous") != std::string::npos) {
    return "NoHomogeneousPool";
  }
  if (message.find("allowed") != std::string::npos) {
    return "ModelNotAllowed";
  }
  return "InsufficientCapacity";
}

// Still valid: every pool it is bound to is still held by its tenant.
bool bindingHolds(const json& object, const placement::CapacityLedger& ledger) {
  if (stringAt(object, kPhase) != "Bound") {
    return false;
  }
  const json pools = object.value(json::json_pointer("/status/pools"), json::array());
  for (const json& entry : pools) {
    if (!ledger.find(entry.value("name", ""))) {
      return false;
    }
  }
  return !pools.empty();
}

json boundStatus(json status, const placement::PlacementDecision& decision,
                 const placement::CapacityLedger& ledger, const placement::Catalog& catalog) {
  std::map<std::string, std::pair<std::int64_t, std::set<std::string>>> byPool;
  std::int64_t total = 0;
  for (const placement::Allocation& a : decision.allocations) {
    byPool[a.pool].first += a.gpus;
    byPool[a.pool].second.insert(catalog.model(a.model).name);
    total += a.gpus;
  }
  json pools = json::array();
  std::string names;
  for (const auto& [pool, entry] : byPool) {
    pools.push_back(
        {{"name", pool},
         {"lease", ledger.find(pool)->lease},
         {"gpus", entry.first},
         {"models", std::vector<std::string>(entry.second.begin(), entry.second.end())}});
    names += (names.empty() ? "" : ",") + pool;
  }
  status["pools"] = std::move(pools);
  status["poolNames"] = names;
  status["gpusReserved"] = total;
  status["estimatedEfficiency"] = decision.estimatedEfficiency.equals(placement::Ratio{1, 1})
                                      ? "1"
                                      : decision.estimatedEfficiency.format(4);
  return status;
}

}  // namespace

void PlacementReconciler::countPhases(const std::vector<json>& placements) {
  if (!deps_.metrics) {
    return;
  }
  std::map<std::string, double> counts{{"Pending", 0}, {"Bound", 0}, {"Unplaceable", 0}};
  for (const json& p : placements) {
    const std::string phase = stringAt(p, kPhase);
    counts[phase.empty() ? "Pending" : phase] += 1;
  }
  for (const auto& [phase, count] : counts) {
    deps_.metrics->setPlacements(phase, count);
  }
}

kube::Result PlacementReconciler::reconcile(kube::ReconcileContext& context,
                                            const kube::Request& request) {
  json object;
  try {
    object = deps_.client.get(api::placements(), request.ns, request.name);
  } catch (const kube::NotFoundError&) {
    return kube::Result::success();
  }
  const std::vector<json> tenants = kube::listAll(deps_.client, api::tenants(), "").items;
  const std::vector<json> leases = kube::listAll(deps_.client, api::poolLeases(), "").items;
  const std::vector<json> pools = kube::listAll(deps_.client, api::gpuPools(), "").items;
  const std::vector<json> placements = kube::listAll(deps_.client, api::placements(), "").items;
  const std::int64_t generation = generationOf(object);
  const std::string now = formatTime(deps_.now());
  json status = object.value("status", json::object());
  status["observedGeneration"] = generation;
  kube::Result result = kube::Result::success();

  const json tenant = tenantOwning(tenants, request.ns);
  std::optional<Condition> unplaced;
  if (tenant.is_null()) {
    status.erase("tenant");
    unplaced = Condition{"Placed", "False", "NamespaceNotOwned",
                         "no Tenant lists namespace " + request.ns + " in spec.namespaces"};
  } else {
    const placement::TenantProfile profile = profileOf(tenant);
    status["tenant"] = profile.name;
    placement::CapacityLedger ledger(leasedPoolsOf(profile.name, leases, pools, deps_.catalog));
    if (ledger.pools().empty()) {
      unplaced = Condition{"Placed", "False", "NoActiveLease",
                           "tenant " + profile.name + " holds no Active lease"};
    } else if (!bindingHolds(object, ledger)) {
      reserveBound(ledger, placements, profile.name, request.key(), deps_.catalog);
      placement::PlacementRequest wanted;
      wanted.name = request.name;
      wanted.tenant = profile.name;
      wanted.workload =
          placement::parseWorkloadType(stringAt(object, json::json_pointer("/spec/workloadType")))
              .value_or(placement::WorkloadType::Inference);
      wanted.gpus = intAt(object, json::json_pointer("/spec/gpus"));
      wanted.allowedModels =
          object.value(json::json_pointer("/spec/allowedModels"), std::vector<std::string>{});
      const placement::PlacementDecision decision =
          placement::place(wanted, profile, ledger, deps_.catalog);
      if (decision.placed) {
        const bool moved = stringAt(object, kPhase) == "Bound";
        status = boundStatus(std::move(status), decision, ledger, deps_.catalog);
        status["phase"] = "Bound";
        status["boundAt"] = now;
        context.log.info("placement {} {} to {}", request.key(), moved ? "re-placed" : "bound",
                         status["poolNames"].get<std::string>());
        if (deps_.events) {
          deps_.events->record(kube::referenceTo(object), kube::EventType::Normal,
                               moved ? "Replaced" : "Bound", "Bind",
                               "bound to " + status["poolNames"].get<std::string>());
        }
      } else {
        unplaced = Condition{"Placed", "False", reasonFor(decision.reason), decision.reason};
      }
    }
  }
  if (unplaced) {
    status["phase"] = "Unplaceable";
    for (const char* field :
         {"pools", "poolNames", "gpusReserved", "estimatedEfficiency", "boundAt"}) {
      status.erase(field);
    }
    setCondition(status, *unplaced, generation, now);
    setCondition(status, Condition{"Ready", "False", unplaced->reason, unplaced->message},
                 generation, now);
    result = kube::Result::requeueAfter(std::chrono::seconds(30));
  } else {
    const std::string message = "bound to " + status.value("poolNames", std::string());
    setCondition(status, Condition{"Placed", "True", "Bound", message}, generation, now);
    setCondition(status, Condition{"Ready", "True", "Bound", message}, generation, now);
  }
  countPhases(placements);
  if (status != object.value("status", json::object())) {
    object["status"] = std::move(status);
    deps_.client.update(api::placements(), object, statusUpdate());
  }
  return result;
}

}  // namespace landlord::controllers
