#include "cluster_fleet.h"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "cluster_options.h"
#include "landlord/placement/pool_metrics.h"
#include "landlord_objects.h"

namespace landlord::cli {

namespace {

using nlohmann::json;

std::string nameOf(const json& object) {
  return objects::text(object, "/metadata/name");
}

std::vector<json> listSorted(kube::Client& client, const kube::GroupVersionResource& resource,
                             std::string_view kind) {
  std::vector<json> items;
  explainFailure("listing " + std::string(kind) + "s on " + client.server(),
                 [&] { items = kube::listAll(client, resource, "").items; });
  std::sort(items.begin(), items.end(),
            [](const json& a, const json& b) { return nameOf(a) < nameOf(b); });
  return items;
}

placement::ResolvedPool poolFromStatus(const json& pool, const placement::Catalog& catalog,
                                       std::vector<std::string>& warnings) {
  const std::string name = nameOf(pool);
  placement::ResolvedPool resolved{.name = name,
                                   .composition = placement::Composition(catalog.size()),
                                   .pricing = {},
                                   .observedTrainingEfficiency = std::nullopt,
                                   .metrics = {}};
  if (!pool.contains("status")) {
    warnings.push_back("pool " + name +
                       " has no status yet (is landlord-operator running?): shown empty");
  }
  for (const json& entry : objects::list(pool, "/status/composition")) {
    const std::string model = objects::text(entry, "/model");
    const placement::ModelTally tally{.nodes = objects::count(entry, "/nodes"),
                                      .gpus = objects::count(entry, "/gpus"),
                                      .schedulableNodes = objects::count(entry, "/nodes"),
                                      .schedulableGpus = objects::count(entry, "/gpus")};
    const auto id = catalog.findModel(model);
    if (!id) {
      warnings.push_back("pool " + name + ": GPU model \"" + model +
                         "\" is not in this catalog; counted as unknown (pass --catalog with the "
                         "catalog the operator runs with)");
      resolved.composition.addUnknown(tally);
      continue;
    }
    resolved.composition.add(*id, tally);
    const std::string rate = objects::text(entry, "/ratePerGPUHour");
    if (!rate.empty()) {
      try {
        resolved.pricing.emplace(model, placement::Money::parse(rate));
      } catch (const std::invalid_argument& error) {
        warnings.push_back("pool " + name + ": " + model + " ratePerGPUHour \"" + rate +
                           "\" is not a price (" + error.what() + "); using the catalog's");
      }
    }
  }
  for (const json& entry : objects::list(pool, "/status/unknownProducts")) {
    resolved.composition.addUnknown({.nodes = objects::count(entry, "/nodes"),
                                     .gpus = objects::count(entry, "/gpus"),
                                     .schedulableNodes = 0,
                                     .schedulableGpus = 0});
  }
  resolved.metrics = placement::computeMetrics(resolved.composition, catalog, resolved.pricing);
  const std::string operatorTraining = objects::text(pool, "/status/h100Equivalents/training");
  if (!operatorTraining.empty() && operatorTraining != resolved.metrics.trainingEq.plain()) {
    warnings.push_back("pool " + name + ": the operator counts " + operatorTraining +
                       " training H100-equivalents, this catalog " +
                       resolved.metrics.trainingEq.plain() +
                       " (pass --catalog with the catalog the operator runs with)");
  }
  return resolved;
}

}  // namespace

ClusterSnapshot readSnapshot(kube::Client& client, std::string name) {
  ClusterSnapshot snapshot;
  snapshot.name = std::move(name);
  snapshot.pools = listSorted(client, objects::gpuPools(), "GPUPool");
  snapshot.leases = listSorted(client, objects::poolLeases(), "PoolLease");
  snapshot.tenants = listSorted(client, objects::tenants(), "Tenant");
  return snapshot;
}

placement::ResolvedFleet fleetFromPools(const ClusterSnapshot& snapshot,
                                        const placement::Catalog& catalog,
                                        std::vector<std::string>& warnings) {
  placement::ResolvedFleet fleet;
  fleet.name = snapshot.name;
  if (const auto h100 = catalog.findModel("H100")) {
    fleet.trainingValuePerH100EqHour = catalog.model(*h100).listRatePerGpuHour;
  } else {
    warnings.push_back(
        "the catalog has no H100 model: training H100-equivalent hours are valued at $0");
  }
  for (const json& pool : snapshot.pools) {
    fleet.pools.push_back(poolFromStatus(pool, catalog, warnings));
  }
  return fleet;
}

void printWarnings(const std::vector<std::string>& warnings, std::ostream& err) {
  for (const std::string& warning : warnings) {
    err << "warning: " << warning << "\n";
  }
}

}  // namespace landlord::cli
