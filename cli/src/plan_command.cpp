#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>
#include <utility>
#include <vector>

#include "command_list.h"
#include "format.h"
#include "offline_inputs.h"
#include "table.h"

namespace landlord::cli {

namespace {

using placement::Catalog;
using placement::PlanResult;

std::string where(const placement::PlacementDecision& decision, const Catalog& catalog) {
  // One entry per pool, in the order the placement preferred them: "p: 8 H100 + 8 H200".
  std::vector<std::pair<std::string, std::string>> byPool;
  for (const placement::Allocation& allocation : decision.allocations) {
    const std::string part = grouped(allocation.gpus) + " " + catalog.model(allocation.model).name;
    const auto entry = std::find_if(byPool.begin(), byPool.end(), [&](const auto& pool) {
      return pool.first == allocation.pool;
    });
    if (entry == byPool.end()) {
      byPool.emplace_back(allocation.pool, part);
    } else {
      entry->second += " + " + part;
    }
  }
  std::string text;
  for (const auto& [pool, parts] : byPool) {
    text += text.empty() ? "" : ", ";
    text += pool + ": " + parts;
  }
  return text;
}

void printTable(const PlanResult& result, const Catalog& catalog, std::ostream& out) {
  Table placements({{"REQUEST"},
                    {"TENANT"},
                    {"TYPE"},
                    {"GPUS", Align::Right},
                    {"RESULT"},
                    {"$/HOUR", Align::Right},
                    {"WHERE OR WHY NOT"}});
  std::size_t placed = 0;
  for (const placement::PlannedRequest& planned : result.placements) {
    const placement::PlacementDecision& decision = planned.decision;
    placed += decision.placed ? 1 : 0;
    placements.addRow({planned.request.name, planned.request.tenant,
                       std::string(placement::toString(planned.request.workload)),
                       grouped(planned.request.gpus), decision.placed ? "placed" : "unplaced",
                       decision.placed ? decision.hourlyCost.format() : "-",
                       decision.placed ? where(decision, catalog) : decision.reason});
  }
  placements.print(out);
  out << "\n" << placed << " of " << result.placements.size() << " requests placed\n\n";
  Table pools({{"POOL"},
               {"TENANT"},
               {"PURPOSE"},
               {"MODEL"},
               {"CAPACITY", Align::Right},
               {"RESERVED", Align::Right},
               {"FREE", Align::Right}});
  for (const placement::LeasedPool& pool : result.ledger.pools()) {
    for (const placement::ModelCapacity& model : pool.models) {
      pools.addRow({pool.pool, pool.tenant, std::string(placement::toString(pool.purpose)),
                    catalog.model(model.model).name, grouped(model.capacityGpus),
                    grouped(model.reservedGpus), grouped(model.freeGpus())});
    }
  }
  pools.print(out);
}

nlohmann::ordered_json toJson(const PlanResult& result, const Catalog& catalog) {
  nlohmann::ordered_json placements = nlohmann::ordered_json::array();
  for (const placement::PlannedRequest& planned : result.placements) {
    const placement::PlacementDecision& decision = planned.decision;
    nlohmann::ordered_json allocations = nlohmann::ordered_json::array();
    for (const placement::Allocation& allocation : decision.allocations) {
      allocations.push_back({{"pool", allocation.pool},
                             {"model", catalog.model(allocation.model).name},
                             {"gpus", allocation.gpus}});
    }
    nlohmann::ordered_json item{{"name", planned.request.name},
                                {"tenant", planned.request.tenant},
                                {"workloadType", placement::toString(planned.request.workload)},
                                {"gpus", planned.request.gpus},
                                {"placed", decision.placed},
                                {"allocations", allocations}};
    if (decision.placed) {
      item["hourlyUsd"] = decision.hourlyCost.plain(2);
      item["trainingH100Eq"] = decision.trainingEq.plain();
      item["inferenceH100Eq"] = decision.inferenceEq.plain();
    } else {
      item["reason"] = decision.reason;
    }
    placements.push_back(item);
  }
  nlohmann::ordered_json pools = nlohmann::ordered_json::array();
  for (const placement::LeasedPool& pool : result.ledger.pools()) {
    nlohmann::ordered_json models = nlohmann::ordered_json::array();
    for (const placement::ModelCapacity& model : pool.models) {
      models.push_back({{"model", catalog.model(model.model).name},
                        {"capacityGpus", model.capacityGpus},
                        {"reservedGpus", model.reservedGpus},
                        {"freeGpus", model.freeGpus()}});
    }
    pools.push_back({{"pool", pool.pool},
                     {"lease", pool.lease},
                     {"tenant", pool.tenant},
                     {"purpose", placement::toString(pool.purpose)},
                     {"models", models}});
  }
  return {{"placements", placements}, {"pools", pools}};
}

int runPlan(const Arguments& arguments, CommandIo& io) {
  const Catalog catalog = loadCatalog(arguments);
  const placement::ResolvedFleet fleet = loadFleet(arguments, catalog);
  const placement::PlanSpec plan = loadPlan(arguments.value("requests"));
  const PlanResult result = placement::runPlan(plan, fleet, catalog);
  if (wantsJson(arguments)) {
    io.out << toJson(result, catalog).dump(2) << "\n";
  } else {
    printTable(result, catalog, io.out);
  }
  return 0;
}

}  // namespace

Command planCommand() {
  return {.name = "plan",
          .summary =
              "place a list of requests on a fleet's leased pools and show where each "
              "went or why not",
          .options = {fleetOption(),
                      {.name = "requests",
                       .shortName = 'r',
                       .valueName = "FILE",
                       .help = "plan YAML: tenants, leases and requests",
                       .required = true,
                       .defaultValue = std::nullopt,
                       .choices = {}},
                      outputOption(),
                      catalogOption()},
          .run = runPlan};
}

}  // namespace landlord::cli
