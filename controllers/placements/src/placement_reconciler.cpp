// The Placement controller: places a request on its tenant's pools, or says why it cannot.
#include "landlord/controllers/placements/placement_reconciler.h"

#include <map>
#include <set>

#include "landlord/api/v1alpha1/client.h"
#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/placements/placement_ledger.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

namespace {

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
bool bindingHolds(const api::Placement& object, const placement::CapacityLedger& ledger) {
  if (object.status.phase != "Bound") {
    return false;
  }
  for (const api::PoolBinding& entry : object.status.pools) {
    if (!ledger.find(entry.name)) {
      return false;
    }
  }
  return !object.status.pools.empty();
}

void recordBinding(api::PlacementStatus& status, const placement::PlacementDecision& decision,
                   const placement::CapacityLedger& ledger, const placement::Catalog& catalog) {
  std::map<std::string, std::pair<std::int64_t, std::set<std::string>>> byPool;
  std::int64_t total = 0;
  for (const placement::Allocation& a : decision.allocations) {
    byPool[a.pool].first += a.gpus;
    byPool[a.pool].second.insert(catalog.model(a.model).name);
    total += a.gpus;
  }
  std::vector<api::PoolBinding> pools;
  std::string names;
  for (const auto& [pool, entry] : byPool) {
    pools.push_back(api::PoolBinding{
        .name = pool,
        .lease = ledger.find(pool)->lease,
        .gpus = entry.first,
        .models = std::vector<std::string>(entry.second.begin(), entry.second.end())});
    names += (names.empty() ? "" : ",") + pool;
  }
  status.pools = std::move(pools);
  status.poolNames = names;
  status.gpusReserved = total;
  status.estimatedEfficiency = decision.estimatedEfficiency.equals(placement::Ratio{1, 1})
                                   ? "1"
                                   : decision.estimatedEfficiency.format(4);
}

}  // namespace

void PlacementReconciler::countPhases(const std::vector<api::Placement>& placements) {
  if (!deps_.metrics) {
    return;
  }
  std::map<std::string, double> counts{{"Pending", 0}, {"Bound", 0}, {"Unplaceable", 0}};
  for (const api::Placement& p : placements) {
    const std::string& phase = p.status.phase;
    counts[phase.empty() ? "Pending" : phase] += 1;
  }
  for (const auto& [phase, count] : counts) {
    deps_.metrics->setPlacements(phase, count);
  }
}

kube::Result PlacementReconciler::reconcile(kube::ReconcileContext& context,
                                            const kube::Request& request) {
  api::Placement object;
  try {
    object = api::get<api::Placement>(deps_.client, request.ns, request.name);
  } catch (const kube::NotFoundError&) {
    return kube::Result::success();
  }
  reportInvalid(deps_, object, context.log);
  const auto tenants = api::list<api::Tenant>(deps_.client);
  const auto leases = api::list<api::PoolLease>(deps_.client);
  const auto pools = api::list<api::GpuPool>(deps_.client);
  const auto placements = api::list<api::Placement>(deps_.client);
  const std::int64_t generation = object.metadata.generation;
  const std::string now = kube::formatTime(deps_.now());
  api::PlacementStatus status = object.status;
  status.observedGeneration = generation;
  kube::Result result = kube::Result::success();

  const api::Tenant* tenant = tenantOwning(tenants, request.ns);
  std::optional<api::Condition> unplaced;
  if (!tenant) {
    status.tenant.clear();
    unplaced = api::Condition{api::kPlacedCondition, "False", "NamespaceNotOwned",
                              "no Tenant lists namespace " + request.ns + " in spec.namespaces"};
  } else {
    const placement::TenantProfile profile = profileOf(*tenant);
    status.tenant = profile.name;
    placement::CapacityLedger ledger(leasedPoolsOf(profile.name, leases, pools, deps_.catalog));
    if (ledger.pools().empty()) {
      unplaced = api::Condition{api::kPlacedCondition, "False", "NoActiveLease",
                                "tenant " + profile.name + " holds no Active lease"};
    } else if (!bindingHolds(object, ledger)) {
      reserveBound(ledger, placements, profile.name, request.key(), deps_.catalog);
      placement::PlacementRequest wanted;
      wanted.name = request.name;
      wanted.tenant = profile.name;
      wanted.workload = placement::parseWorkloadType(object.spec.workloadType)
                            .value_or(placement::WorkloadType::Inference);
      wanted.gpus = object.spec.gpus;
      wanted.allowedModels = object.spec.allowedModels;
      const placement::PlacementDecision decision =
          placement::place(wanted, profile, ledger, deps_.catalog);
      if (decision.placed) {
        const bool moved = object.status.phase == "Bound";
        recordBinding(status, decision, ledger, deps_.catalog);
        status.phase = "Bound";
        status.boundAt = now;
        context.log.info("placement {} {} to {}", request.key(), moved ? "re-placed" : "bound",
                         status.poolNames);
        if (deps_.events) {
          deps_.events->record(api::referenceTo(object), kube::EventType::Normal,
                               moved ? "Replaced" : "Bound", "Bind",
                               "bound to " + status.poolNames);
        }
      } else {
        unplaced = api::Condition{api::kPlacedCondition, "False", reasonFor(decision.reason),
                                  decision.reason};
      }
    }
  }
  if (unplaced) {
    status.phase = "Unplaceable";
    status.pools.clear();
    status.poolNames.clear();
    status.gpusReserved.reset();
    status.estimatedEfficiency.clear();
    status.boundAt.clear();
    api::setCondition(status.conditions, *unplaced, generation, now);
    api::setCondition(status.conditions,
                      {api::kReadyCondition, "False", unplaced->reason, unplaced->message},
                      generation, now);
    result = kube::Result::requeueAfter(std::chrono::seconds(30));
  } else {
    const std::string message = "bound to " + status.poolNames;
    api::setCondition(status.conditions, {api::kPlacedCondition, "True", "Bound", message},
                      generation, now);
    api::setCondition(status.conditions, {api::kReadyCondition, "True", "Bound", message},
                      generation, now);
  }
  countPhases(placements);
  api::writeStatus(deps_.client, object, status);
  return result;
}

}  // namespace landlord::controllers
