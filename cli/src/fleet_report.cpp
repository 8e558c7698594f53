#include "fleet_report.h"

#include <ostream>

#include "format.h"
#include "landlord/placement/quantities.h"
#include "table.h"

namespace landlord::cli {

namespace {

using placement::H100Eq;
using placement::PoolMetrics;
using placement::Ratio;
using placement::ResolvedFleet;

std::string composition(const PoolMetrics& metrics) {
  std::string text;
  for (const placement::ModelShare& share : metrics.models) {
    text += text.empty() ? "" : " + ";
    text += grouped(share.tally.gpus) + " " + share.name;
  }
  if (metrics.unknownGpus > 0) {
    text += " + ";
    text += std::to_string(metrics.unknownGpus);
    text += " unknown";
  }
  return text.empty() ? "empty" : text;
}

Ratio share(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? Ratio{0, 1} : Ratio{part, whole};
}

std::string percent(const Ratio& ratio) {
  return Ratio{ratio.numerator * 100, ratio.denominator}.format(1) + "%";
}

}  // namespace

void printFleetReport(const ResolvedFleet& fleet, std::ostream& out) {
  Table table({{"POOL"},
               {"COMPOSITION"},
               {"NODES", Align::Right},
               {"GPUS", Align::Right},
               {"TRAIN H100-EQ", Align::Right},
               {"INFER H100-EQ", Align::Right},
               {"KIND"},
               {"EFFICIENCY", Align::Right},
               {"$/GPU-H", Align::Right},
               {"HOURLY", Align::Right},
               {"ANNUAL", Align::Right},
               {"GPU SHARE", Align::Right},
               {"H100-EQ SHARE", Align::Right}});
  std::int64_t nodes = 0;
  H100Eq inference;
  const std::int64_t gpus = fleet.gpus();
  const H100Eq training = fleet.trainingEq();
  for (const placement::ResolvedPool& pool : fleet.pools) {
    const PoolMetrics& metrics = pool.metrics;
    nodes += metrics.nodes;
    inference = inference + metrics.inferenceEq;
    table.addRow({pool.name, composition(metrics), grouped(metrics.nodes), grouped(metrics.gpus),
                  metrics.trainingEq.format(), metrics.inferenceEq.format(),
                  metrics.homogeneous ? "homogeneous" : "mixed",
                  metrics.stragglerEfficiency.format(2),
                  std::string("$") + metrics.weightedRatePerGpuHour(4), metrics.listHourly.format(),
                  metrics.listAnnual().format(0), percent(share(metrics.gpus, gpus)),
                  percent(share(metrics.trainingEq.units(), training.units()))});
  }
  const placement::Money hourly = fleet.listHourly();
  table.addRow(
      {"TOTAL", "", grouped(nodes), grouped(gpus), training.format(), inference.format(), "", "",
       gpus == 0 ? "-" : std::string("$") + placement::formatAverage(hourly, gpus, 4),
       hourly.format(), hourly.times(placement::kHoursPerYear).format(0), "100.0%", "100.0%"});
  out << "Fleet " << fleet.name << " at list prices (" << placement::kHoursPerYear
      << " hours a year)\n\n";
  table.print(out);
}

nlohmann::ordered_json fleetReportJson(const ResolvedFleet& fleet) {
  nlohmann::ordered_json pools = nlohmann::ordered_json::array();
  const std::int64_t gpus = fleet.gpus();
  const H100Eq training = fleet.trainingEq();
  for (const placement::ResolvedPool& pool : fleet.pools) {
    const PoolMetrics& metrics = pool.metrics;
    nlohmann::ordered_json models = nlohmann::ordered_json::array();
    for (const placement::ModelShare& model : metrics.models) {
      models.push_back({{"model", model.name},
                        {"architecture", model.architecture},
                        {"nodes", model.tally.nodes},
                        {"gpus", model.tally.gpus},
                        {"trainingH100Eq", model.trainingEq.plain()},
                        {"inferenceH100Eq", model.inferenceEq.plain()},
                        {"usdPerGpuHour", model.ratePerGpuHour.plain(4)},
                        {"hourlyUsd", model.hourly.plain(2)}});
    }
    pools.push_back(
        {{"name", pool.name},
         {"nodes", metrics.nodes},
         {"gpus", metrics.gpus},
         {"composition", models},
         {"trainingH100Eq", metrics.trainingEq.plain()},
         {"inferenceH100Eq", metrics.inferenceEq.plain()},
         {"homogeneous", metrics.homogeneous},
         {"architectures", metrics.architectures},
         {"stragglerEfficiency", metrics.stragglerEfficiency.format(4)},
         {"usdPerGpuHour", metrics.weightedRatePerGpuHour(4)},
         {"hourlyUsd", metrics.listHourly.plain(2)},
         {"annualUsd", metrics.listAnnual().plain(2)},
         {"gpuShare", share(metrics.gpus, gpus).format(4)},
         {"trainingH100EqShare", share(metrics.trainingEq.units(), training.units()).format(4)}});
  }
  const placement::Money hourly = fleet.listHourly();
  return {{"fleet", fleet.name},
          {"hoursPerYear", placement::kHoursPerYear},
          {"pools", pools},
          {"totals",
           {{"gpus", gpus},
            {"trainingH100Eq", training.plain()},
            {"hourlyUsd", hourly.plain(2)},
            {"annualUsd", hourly.times(placement::kHoursPerYear).plain(2)}}}};
}

}  // namespace landlord::cli
