#include "landlord/controllers/pools/pool_status.h"

#include <map>
#include <set>

#include "landlord/placement/pool_model.h"

namespace landlord::controllers {

namespace {

placement::PricingOverrides parsePricing(const json& pool, const placement::Catalog& catalog,
                                         std::vector<std::string>& unknownModels) {
  placement::PricingOverrides overrides;
  for (const json& entry : pool.value(json::json_pointer("/spec/pricing"), json::array())) {
    const std::string model = entry.value("model", "");
    if (!catalog.findModel(model)) {
      unknownModels.push_back(model);
      continue;
    }
    overrides.emplace(model, placement::Money::parse(entry.value("ratePerGPUHour", "0")));
  }
  return overrides;
}

json compositionJson(const placement::PoolMetrics& metrics, const PoolSummary& summary) {
  json out = json::array();
  for (const placement::ModelShare& share : metrics.models) {
    const auto seen = summary.productsByModel.find(share.name);
    out.push_back({{"model", share.name},
                   {"architecture", share.architecture},
                   {"products",
                    seen == summary.productsByModel.end()
                        ? json::array()
                        : json(std::vector<std::string>(seen->second.begin(), seen->second.end()))},
                   {"nodes", share.tally.nodes},
                   {"gpus", share.tally.gpus},
                   {"trainingH100Equivalents", share.trainingEq.plain()},
                   {"inferenceH100Equivalents", share.inferenceEq.plain()},
                   {"ratePerGPUHour", decimalText(share.ratePerGpuHour)}});
  }
  return out;
}

json unknownProductsJson(const PoolSummary& summary) {
  json out = json::array();
  for (const PoolSummary::UnknownProduct& unknown : summary.unknownProducts) {
    out.push_back({{"product", unknown.product},
                   {"nodes", unknown.nodes},
                   {"gpus", unknown.gpus},
                   {"exampleNodes", unknown.exampleNodes}});
  }
  return out;
}

std::string phaseOf(const json& status) {
  if (!status.contains("lease") || status["lease"].is_null()) {
    return "Available";
  }
  if (status.contains("handover") && !status["handover"].is_null()) {
    return "HandingOver";
  }
  return "Leased";
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
  placement::PoolModel model(catalog);
  PoolSummary summary;
  std::map<std::string, std::vector<std::string>> unknownExamples;  // product -> names
  for (const NodePtr& node : membership.members) {                  // sorted by name
    model.upsert(placement::NodeFacts{node->meta.name, node->value.product, node->value.gpus,
                                      node->value.ready, node->value.unschedulable});
    if (auto known = catalog.findProduct(node->value.product)) {
      summary.productsByModel[catalog.model(*known).name].insert(node->value.product);
    } else if (auto& names = unknownExamples[node->value.product]; names.size() < kExampleNodes) {
      names.push_back(node->meta.name);
    }
  }
  summary.composition = model.composition();
  for (const auto& [product, tally] : model.unknownProducts()) {
    summary.unknownProducts.push_back(
        {product, tally.nodes, tally.gpus, std::move(unknownExamples[product])});
  }
  summary.conflictingNodes = static_cast<std::int64_t>(membership.conflicting.size());
  for (std::size_t i = 0; i < membership.conflicting.size() && i < kExampleNodes; ++i) {
    summary.conflictingExamples.push_back(membership.conflicting[i]->meta.name);
  }
  summary.conflictingPools = membership.conflictingPools;
  return summary;
}

PoolFigures computePoolFigures(const json& pool, const PoolSummary& summary,
                               const placement::Catalog& catalog) {
  PoolFigures figures;
  const placement::PricingOverrides pricing =
      parsePricing(pool, catalog, figures.unknownPricingModels);
  figures.metrics = placement::computeMetrics(summary.composition, catalog, pricing);
  return figures;
}

json buildPoolStatus(const json& pool, const PoolSummary& summary, const PoolFigures& figures,
                     const std::string& now) {
  const placement::PoolMetrics& m = figures.metrics;
  const std::int64_t generation = generationOf(pool);
  json status = pool.value("status", json::object());
  status["observedGeneration"] = generation;
  status["nodes"] = m.nodes;
  status["gpus"] = m.gpus;
  status["composition"] = compositionJson(m, summary);
  status["h100Equivalents"] = {{"training", m.trainingEq.plain()},
                               {"inference", m.inferenceEq.plain()}};
  status["homogeneous"] = m.homogeneous;
  status["mix"] = m.homogeneous ? "Homogeneous" : "Mixed";
  status["architectures"] = m.architectures;
  status["stragglerEfficiency"] = m.homogeneous ? "1" : m.stragglerEfficiency.format(4);
  status["ratePerGPUHour"] = m.gpus > 0 ? m.weightedRatePerGpuHour(4) : "0";
  status["hourlyListRate"] = decimalText(m.listHourly);
  status["phase"] = phaseOf(status);
  status["unknownProducts"] = unknownProductsJson(summary);
  status["conflictingNodes"] = {{"count", summary.conflictingNodes},
                                {"pools", summary.conflictingPools},
                                {"exampleNodes", summary.conflictingExamples}};

  const bool conflicts = summary.conflictingNodes > 0;
  setCondition(status,
               conflicts ? Condition{"NodesConflict", "True", "NodesSelectedByOtherPools",
                                     std::to_string(summary.conflictingNodes) +
                                         " nodes are also selected by pool(s) " +
                                         json(summary.conflictingPools).dump() +
                                         "; they are counted in neither pool"}
                         : Condition{"NodesConflict", "False", "NoConflicts",
                                     "no node is selected by another pool"},
               generation, now);
  const bool unknown = m.unknownGpus > 0;
  setCondition(status,
               unknown ? Condition{"UnknownGPUProducts", "True", "ProductsNotInCatalog",
                                   std::to_string(m.unknownGpus) +
                                       " GPUs have a product the catalog does not know; see "
                                       "status.unknownProducts (they are not counted)"}
                       : Condition{"UnknownGPUProducts", "False", "AllProductsKnown",
                                   "every GPU product is in the catalog"},
               generation, now);
  if (!figures.unknownPricingModels.empty()) {
    setCondition(status,
                 Condition{"Ready", "False", "UnknownPricingModel",
                           "spec.pricing names model(s) the catalog does not know: " +
                               json(figures.unknownPricingModels).dump() + " (ignored)"},
                 generation, now);
  } else {
    setCondition(status,
                 Condition{"Ready", "True", "Observed",
                           std::to_string(m.nodes) + " nodes, " + std::to_string(m.gpus) +
                               " GPUs, " + (m.homogeneous ? "homogeneous" : "mixed")},
                 generation, now);
  }
  return status;
}

}  // namespace landlord::controllers
