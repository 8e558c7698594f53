// A GPUPool's status: the summary of its members, its figures, and the status fields they give.
#include "landlord/controllers/pools/pool_status.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "landlord/api/v1alpha1/names.h"
#include "landlord/placement/pool_tally.h"

namespace landlord::controllers {

namespace {

placement::PricingOverrides parsePricing(const api::GpuPool& pool,
                                         const placement::Catalog& catalog,
                                         std::vector<std::string>& unknownModels) {
  placement::PricingOverrides overrides;
  for (const api::ModelPrice& entry : pool.spec.pricing) {
    if (!catalog.findModel(entry.model)) {
      unknownModels.push_back(entry.model);
      continue;
    }
    overrides.emplace(entry.model, placement::Money::parse(
                                       entry.ratePerGPUHour.empty() ? "0" : entry.ratePerGPUHour));
  }
  return overrides;
}

std::vector<api::ModelComposition> composition(const placement::PoolMetrics& metrics,
                                               const PoolSummary& summary) {
  std::vector<api::ModelComposition> out;
  for (const placement::ModelShare& share : metrics.models) {
    const auto seen = summary.productsByModel.find(share.name);
    out.push_back(api::ModelComposition{
        .model = share.name,
        .architecture = share.architecture,
        .products = seen == summary.productsByModel.end()
                        ? std::vector<std::string>{}
                        : std::vector<std::string>(seen->second.begin(), seen->second.end()),
        .nodes = share.tally.nodes,
        .gpus = share.tally.gpus,
        .trainingH100Equivalents = share.trainingEq.plain(),
        .inferenceH100Equivalents = share.inferenceEq.plain(),
        .ratePerGPUHour = decimalText(share.ratePerGpuHour)});
  }
  return out;
}

std::vector<api::UnknownProduct> unknownProducts(const PoolSummary& summary) {
  std::vector<api::UnknownProduct> out;
  for (const PoolSummary::UnknownProduct& unknown : summary.unknownProducts) {
    out.push_back(
        api::UnknownProduct{unknown.product, unknown.nodes, unknown.gpus, unknown.exampleNodes});
  }
  return out;
}

std::string phaseOf(const api::GpuPoolStatus& status) {
  if (!status.lease) {
    return "Available";
  }
  if (status.handover) {
    return "HandingOver";
  }
  return "Leased";
}

// `["c2","c3"]`, as the messages have always listed names.
std::string listed(const std::vector<std::string>& names) {
  return nlohmann::json(names).dump();
}

}  // namespace

std::string decimalText(const placement::Money& money) {
  std::string text = money.plain(6);
  const std::size_t point = text.find('.');
  while (text.size() > point + 3 && text.back() == '0') {
    text.pop_back();
  }
  return text;
}

PoolSummary summarize(const PoolMembership& membership, const placement::Catalog& catalog) {
  placement::PoolTally tally(catalog);
  PoolSummary summary;
  std::map<std::string, std::vector<std::string>, std::less<>> unknownExamples;  // product -> names
  for (const NodePtr& node : membership.members) {  // sorted by name, each once
    tally.add(factsOf(*node));
    const std::string product(node->value.product());
    if (auto known = catalog.findProduct(product)) {
      summary.productsByModel[catalog.model(*known).name].insert(product);
    } else if (auto& names = unknownExamples[product]; names.size() < kExampleNodes) {
      names.emplace_back(node->meta.name());
    }
  }
  summary.composition = tally.composition();
  for (const auto& [product, nodeTally] : tally.unknownProducts()) {
    summary.unknownProducts.push_back(
        {product, nodeTally.nodes, nodeTally.gpus, std::move(unknownExamples[product])});
  }
  summary.conflictingNodes = static_cast<std::int64_t>(membership.conflicting.size());
  for (std::size_t i = 0; i < membership.conflicting.size() && i < kExampleNodes; ++i) {
    summary.conflictingExamples.emplace_back(membership.conflicting[i]->meta.name());
  }
  summary.conflictingPools = membership.conflictingPools;
  return summary;
}

PoolFigures computePoolFigures(const api::GpuPool& pool, const PoolSummary& summary,
                               const placement::Catalog& catalog) {
  PoolFigures figures;
  const placement::PricingOverrides pricing =
      parsePricing(pool, catalog, figures.unknownPricingModels);
  figures.metrics = placement::computeMetrics(summary.composition, catalog, pricing);
  return figures;
}

api::GpuPoolStatus buildPoolStatus(const api::GpuPool& pool, const PoolSummary& summary,
                                   const PoolFigures& figures, const std::string& now) {
  const placement::PoolMetrics& m = figures.metrics;
  const std::int64_t generation = pool.metadata.generation;
  api::GpuPoolStatus status = pool.status;
  status.observedGeneration = generation;
  status.nodes = m.nodes;
  status.gpus = m.gpus;
  status.composition = composition(m, summary);
  status.h100Equivalents = api::H100Equivalents{m.trainingEq.plain(), m.inferenceEq.plain()};
  status.homogeneous = m.homogeneous;
  status.mix = m.homogeneous ? "Homogeneous" : "Mixed";
  status.architectures = m.architectures;
  status.stragglerEfficiency = m.homogeneous ? "1" : m.stragglerEfficiency.format(4);
  status.ratePerGPUHour = m.gpus > 0 ? m.weightedRatePerGpuHour(4) : "0";
  status.hourlyListRate = decimalText(m.listHourly);
  status.phase = phaseOf(status);
  status.unknownProducts = unknownProducts(summary);
  status.conflictingNodes = api::ConflictingNodes{
      summary.conflictingNodes, summary.conflictingPools, summary.conflictingExamples};

  const bool conflicts = summary.conflictingNodes > 0;
  api::setCondition(
      status.conditions,
      conflicts ? api::Condition{api::kNodesConflictCondition, "True", "NodesSelectedByOtherPools",
                                 std::to_string(summary.conflictingNodes) +
                                     " nodes are also selected by pool(s) " +
                                     listed(summary.conflictingPools) +
                                     "; they are counted in neither pool"}
                : api::Condition{api::kNodesConflictCondition, "False", "NoConflicts",
                                 "no node is selected by another pool"},
      generation, now);
  const bool unknown = m.unknownGpus > 0;
  api::setCondition(
      status.conditions,
      unknown ? api::Condition{api::kUnknownGpuProductsCondition, "True", "ProductsNotInCatalog",
                               std::to_string(m.unknownGpus) +
                                   " GPUs have a product the catalog does not know; see "
                                   "status.unknownProducts (they are not counted)"}
              : api::Condition{api::kUnknownGpuProductsCondition, "False", "AllProductsKnown",
                               "every GPU product is in the catalog"},
      generation, now);
  if (!figures.unknownPricingModels.empty()) {
    api::setCondition(status.conditions,
                      api::Condition{api::kReadyCondition, "False", "UnknownPricingModel",
                                     "spec.pricing names model(s) the catalog does not know: " +
                                         listed(figures.unknownPricingModels) + " (ignored)"},
                      generation, now);
  } else {
    api::setCondition(status.conditions,
                      api::Condition{api::kReadyCondition, "True", "Observed",
                                     std::to_string(m.nodes) + " nodes, " + std::to_string(m.gpus) +
                                         " GPUs, " + (m.homogeneous ? "homogeneous" : "mixed")},
                      generation, now);
  }
  return status;
}

}  // namespace landlord::controllers
