// The landlord objects of a live cluster, read once, and the fleet the GPUPools' status counts.
#include "cluster_fleet.h"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "cluster_options.h"
#include "landlord/api/v1alpha1/client.h"
#include "landlord/placement/pool_metrics.h"

namespace landlord::cli {

namespace {

template <class Object>
std::vector<Object> listSorted(kube::Client& client, std::string_view kind) {
  std::vector<Object> items;
  explainFailure("listing " + std::string(kind) + "s on " + client.server(),
                 [&] { items = api::list<Object>(client); });
  std::sort(items.begin(), items.end(),
            [](const Object& a, const Object& b) { return a.metadata.name < b.metadata.name; });
  return items;
}

placement::ResolvedPool poolFromStatus(const api::GpuPool& pool, const placement::Catalog& catalog,
                                       std::vector<std::string>& warnings) {
  const std::string& name = pool.metadata.name;
  placement::ResolvedPool resolved{.name = name,
                                   .composition = placement::Composition(catalog.size()),
                                   .pricing = {},
                                   .observedTrainingEfficiency = std::nullopt,
                                   .metrics = {}};
  for (const std::string& invalid : pool.invalid) {
    warnings.push_back("pool " + name + ": " + invalid + "; read as absent");
  }
  if (pool.status == api::GpuPoolStatus{}) {
    warnings.push_back("pool " + name +
                       " has no status yet (is landlord-operator running?): shown empty");
  }
  for (const api::ModelComposition& entry :
       pool.status.composition.value_or(std::vector<api::ModelComposition>{})) {
    const std::string& model = entry.model;
    const placement::ModelTally tally{.nodes = entry.nodes,
                                      .gpus = entry.gpus,
                                      .schedulableNodes = entry.nodes,
                                      .schedulableGpus = entry.gpus};
    const auto id = catalog.findModel(model);
    if (!id) {
      warnings.push_back("pool " + name + ": GPU model \"" + model +
                         "\" is not in this catalog; counted as unknown (pass --catalog with the "
                         "catalog the operator runs with)");
      resolved.composition.addUnknown(tally);
      continue;
    }
    resolved.composition.add(*id, tally);
    const std::string& rate = entry.ratePerGPUHour;
    if (!rate.empty()) {
      try {
        resolved.pricing.emplace(model, placement::Money::parse(rate));
      } catch (const std::invalid_argument& error) {
        warnings.push_back("pool " + name + ": " + model + " ratePerGPUHour \"" + rate +
                           "\" is not a price (" + error.what() + "); using the catalog's");
      }
    }
  }
  for (const api::UnknownProduct& entry :
       pool.status.unknownProducts.value_or(std::vector<api::UnknownProduct>{})) {
    resolved.composition.addUnknown(
        {.nodes = entry.nodes, .gpus = entry.gpus, .schedulableNodes = 0, .schedulableGpus = 0});
  }
  resolved.metrics = placement::computeMetrics(resolved.composition, catalog, resolved.pricing);
  const std::string operatorTraining =
      pool.status.h100Equivalents ? pool.status.h100Equivalents->training : std::string();
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
  snapshot.pools = listSorted<api::GpuPool>(client, "GPUPool");
  snapshot.leases = listSorted<api::PoolLease>(client, "PoolLease");
  snapshot.tenants = listSorted<api::Tenant>(client, "Tenant");
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
  for (const api::GpuPool& pool : snapshot.pools) {
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
