// `landlord report`: the fleet from a file or the live cluster; from the cluster also leases and
// terms.
#include <ostream>

#include "cluster_fleet.h"
#include "cluster_options.h"
#include "command_list.h"
#include "fleet_report.h"
#include "lease_report.h"
#include "offline_inputs.h"
#include "term_report.h"

namespace landlord::cli {

namespace {

int reportFile(const Arguments& arguments, CommandIo& io) {
  const placement::Catalog catalog = loadCatalog(arguments);
  const placement::ResolvedFleet fleet = loadFleet(arguments, catalog);
  if (wantsJson(arguments)) {
    io.out << fleetReportJson(fleet).dump(2) << "\n";
  } else {
    printFleetReport(fleet, io.out);
  }
  return 0;
}

int reportCluster(const Arguments& arguments, const ClusterAccess& access, CommandIo& io) {
  const placement::Catalog catalog = loadCatalog(arguments);
  const ClusterConnection cluster = connect(arguments, access);
  const ClusterSnapshot snapshot = readSnapshot(*cluster.client, cluster.name);
  const auto now = std::chrono::floor<std::chrono::seconds>(access.wallClock());
  std::vector<std::string> warnings;
  const placement::ResolvedFleet fleet = fleetFromPools(snapshot, catalog, warnings);
  printWarnings(warnings, io.err);
  if (wantsJson(arguments)) {
    nlohmann::ordered_json report = fleetReportJson(fleet);
    addLeaseReportJson(snapshot, report);
    addTermReportJson(snapshot, now, report);
    io.out << report.dump(2) << "\n";
  } else {
    printFleetReport(fleet, io.out);
    printLeaseReport(snapshot, io.out);
    printTermReport(snapshot, now, io.out);
  }
  return 0;
}

}  // namespace

Command reportCommand(ClusterAccess cluster) {
  return {.name = "report",
          .summary =
              "per pool: composition, GPUs, H100-equivalents, straggler efficiency, "
              "list revenue and share of the fleet; from the live cluster also every "
              "lease's revenue, the terms and a revenue outlook for the next twelve months",
          .options = {fleetOrClusterOption(), outputOption(), catalogOption(), kubeconfigOption(),
                      contextOption()},
          .run = [cluster](const Arguments& arguments, CommandIo& io) {
            return readsCluster(arguments) ? reportCluster(arguments, cluster, io)
                                           : reportFile(arguments, io);
          }};
}

}  // namespace landlord::cli
