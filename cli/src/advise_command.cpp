#include <nlohmann/json.hpp>
#include <ostream>

#include "cluster_fleet.h"
#include "cluster_options.h"
#include "command_list.h"
#include "format.h"
#include "landlord/placement/advisor.h"
#include "offline_inputs.h"
#include "table.h"

namespace landlord::cli {

namespace {

using placement::PoolAdvice;

void printTable(const std::vector<PoolAdvice>& advice, std::ostream& out) {
  Table table({{"POOL"},
               {"GPUS", Align::Right},
               {"TRAIN H100-EQ", Align::Right},
               {"EFFICIENCY", Align::Right},
               {"VALUE/H100-EQ-H", Align::Right},
               {"KEPT $/H", Align::Right},
               {"LEASED $/H", Align::Right},
               {"ADVICE"},
               {"ADVANTAGE $/H", Align::Right}});
  for (const PoolAdvice& item : advice) {
    table.addRow({item.pool, grouped(item.gpus), item.trainingEq.format(),
                  item.efficiency.format(2) + " (" +
                      std::string(placement::toString(item.efficiencySource)) + ")",
                  item.valuePerH100EqHour.format(), item.keptHourly.format(),
                  item.leasedHourly.format(), std::string(placement::toString(item.recommendation)),
                  item.advantageHourly.format()});
  }
  table.print(out);
  out << "\n";
  for (const PoolAdvice& item : advice) {
    out << item.pool << ": " << item.rationale << "\n";
  }
}

nlohmann::ordered_json toJson(const std::vector<PoolAdvice>& advice) {
  nlohmann::ordered_json pools = nlohmann::ordered_json::array();
  for (const PoolAdvice& item : advice) {
    pools.push_back({{"pool", item.pool},
                     {"gpus", item.gpus},
                     {"trainingH100Eq", item.trainingEq.plain()},
                     {"trainingEfficiency", item.efficiency.format(4)},
                     {"efficiencySource", placement::toString(item.efficiencySource)},
                     {"valuePerH100EqHourUsd", item.valuePerH100EqHour.plain(2)},
                     {"keptHourlyUsd", item.keptHourly.plain(2)},
                     {"leasedHourlyUsd", item.leasedHourly.plain(2)},
                     {"weightedUsdPerGpuHour", item.weightedRatePerGpuHour},
                     {"recommendation", placement::toString(item.recommendation)},
                     {"advantageHourlyUsd", item.advantageHourly.plain(2)},
                     {"rationale", item.rationale}});
  }
  return {{"pools", pools}};
}

placement::ResolvedFleet clusterFleet(const Arguments& arguments, const ClusterAccess& access,
                                      const placement::Catalog& catalog, std::ostream& err) {
  const ClusterConnection cluster = connect(arguments, access);
  std::vector<std::string> warnings;
  placement::ResolvedFleet fleet =
      fleetFromPools(readSnapshot(*cluster.client, cluster.name), catalog, warnings);
  printWarnings(warnings, err);
  return fleet;
}

int runAdvise(const Arguments& arguments, const ClusterAccess& access, CommandIo& io) {
  const placement::Catalog catalog = loadCatalog(arguments);
  const std::vector<PoolAdvice> advice =
      placement::advise(readsCluster(arguments) ? clusterFleet(arguments, access, catalog, io.err)
                                                : loadFleet(arguments, catalog));
  if (wantsJson(arguments)) {
    io.out << toJson(advice).dump(2) << "\n";
  } else {
    printTable(advice, io.out);
  }
  return 0;
}

}  // namespace

Command adviseCommand(ClusterAccess cluster) {
  return {.name = "advise",
          .summary =
              "for each pool: worth more kept for the owner's training or leased whole "
              "for inference?",
          .options = {fleetOrClusterOption(), outputOption(), catalogOption(), kubeconfigOption(),
                      contextOption()},
          .run = [cluster](const Arguments& arguments, CommandIo& io) {
            return runAdvise(arguments, cluster, io);
          }};
}

}  // namespace landlord::cli
