#include "landlord/cli/commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "landlord/cli/command_registry.h"
#include "repository_path.h"

namespace landlord::cli {
namespace {

using ::testing::HasSubstr;
using testing::repositoryPath;

struct Outcome {
  int exitCode;
  std::string out;
  std::string err;
};

Outcome run(const std::vector<std::string>& args) {
  CommandRegistry registry("landlord");
  addCommands(registry, ClusterAccess{.connect = [](const ClusterTarget&) -> ClusterConnection {
                                        throw std::logic_error("no cluster in offline tests");
                                      },
                                      .pacer = {}});
  std::ostringstream out;
  std::ostringstream err;
  CommandIo io{out, err};
  const int exitCode = registry.dispatch(args, io);
  return {exitCode, out.str(), err.str()};
}

const std::string kReference = repositoryPath("e2e/fleets/reference.yaml");

TEST(CommandsTest, ReportJsonCarriesExactFigures) {
  const Outcome result = run({"report", "--fleet", kReference, "-o", "json"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  const auto& mixed = json["pools"][0];
  EXPECT_EQ(mixed["name"], "colossus-1");
  EXPECT_EQ(mixed["hourlyUsd"], "567000.00");
  EXPECT_EQ(mixed["usdPerGpuHour"], "2.5773");
  EXPECT_EQ(mixed["annualUsd"], "4966920000.00");
  EXPECT_EQ(mixed["trainingH100Eq"], "250000");
  EXPECT_EQ(mixed["stragglerEfficiency"], "0.8800");
  EXPECT_EQ(mixed["homogeneous"], false);
  EXPECT_EQ(json["pools"][1]["homogeneous"], true);
  EXPECT_EQ(json["totals"]["gpus"], 330000);
}

TEST(CommandsTest, ReportTableIsAligned) {
  const Outcome result = run({"report", "--fleet", kReference});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  std::istringstream lines(result.out);
  std::string line;
  std::vector<std::string> table;
  while (std::getline(lines, line)) {
    if (line.starts_with("POOL") || line.starts_with("colossus") || line.starts_with("TOTAL")) {
      table.push_back(line);
    }
  }
  ASSERT_EQ(table.size(), 4u);
  // Right-aligned numeric columns: every row ends at the same column.
  for (const std::string& row : table) {
    EXPECT_EQ(row.size(), table.front().size()) << row;
  }
  EXPECT_THAT(table[1], HasSubstr("$567,000.00"));
  EXPECT_THAT(table[1], HasSubstr("mixed"));
}

TEST(CommandsTest, AdviseRecommendsLeasingTheMixedPool) {
  const Outcome result = run({"advise", "-f", kReference, "-o", "json"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["pools"][0]["recommendation"], "lease");
  EXPECT_EQ(json["pools"][0]["keptHourlyUsd"], "484000.00");
  EXPECT_EQ(json["pools"][1]["recommendation"], "keep");
  EXPECT_EQ(json["pools"][1]["keptHourlyUsd"], "605000.00");
}

TEST(CommandsTest, PlanShowsWhereEachRequestWentOrWhyNot) {
  const Outcome result = run({"plan", "-f", kReference, "-r",
                              repositoryPath("cli/examples/reference-plan.yaml"), "-o", "json"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["placements"][0]["placed"], true);
  EXPECT_EQ(json["placements"][0]["allocations"][0]["pool"], "colossus-2");
  EXPECT_EQ(json["placements"][1]["placed"], false);
  EXPECT_THAT(json["placements"][1]["reason"].get<std::string>(),
              HasSubstr("has 16384 free GPUs; largest is colossus-2 with 10000 free"));
}

TEST(CommandsTest, BadFilesExitOneWithLocatedError) {
  const Outcome missing = run({"report", "--fleet", "/nonexistent/fleet.yaml"});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_THAT(missing.err, HasSubstr("cannot read /nonexistent/fleet.yaml"));
  const Outcome directory = run({"report", "--fleet", repositoryPath("e2e/fleets")});
  EXPECT_EQ(directory.exitCode, 1);
  EXPECT_THAT(directory.err, HasSubstr("is a directory"));
  const Outcome notAFleet = run({"advise", "--fleet", repositoryPath("cli/examples/catalog.yaml")});
  EXPECT_EQ(notAFleet.exitCode, 1);
  EXPECT_THAT(notAFleet.err, HasSubstr("catalog.yaml:5: models: unknown field"));
}

TEST(CommandsTest, UsageErrorsExitTwoWithHelp) {
  const Outcome noCommand = run({});
  EXPECT_EQ(noCommand.exitCode, 2);
  EXPECT_THAT(noCommand.err, HasSubstr("Usage: landlord COMMAND"));
  const Outcome unknown = run({"frobnicate"});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command \"frobnicate\""));
  const Outcome missingOption = run({"plan", "--fleet", kReference});
  EXPECT_EQ(missingOption.exitCode, 2);
  EXPECT_THAT(missingOption.err, HasSubstr("--requests FILE is required"));
  const Outcome stray = run({"report", "--fleet", kReference, "stray"});
  EXPECT_EQ(stray.exitCode, 2);
  EXPECT_THAT(stray.err, HasSubstr("unexpected argument \"stray\""));
}

TEST(CommandsTest, HelpListsEveryCommandAndExitsZero) {
  const Outcome help = run({"--help"});
  EXPECT_EQ(help.exitCode, 0);
  for (const char* command : {"report", "plan", "advise"}) {
    EXPECT_THAT(help.out, HasSubstr(command));
  }
  const Outcome commandHelp = run({"plan", "--help"});
  EXPECT_EQ(commandHelp.exitCode, 0);
  EXPECT_THAT(commandHelp.out, HasSubstr("-r, --requests FILE"));
}

TEST(CommandRegistryTest, NewCommandsPlugInWithoutTouchingDispatch) {
  CommandRegistry registry("kubectl-landlord");
  registry.add({.name = "handover",
                .summary = "hand a pool over",
                .options = {{.name = "pool",
                             .shortName = '\0',
                             .valueName = "NAME",
                             .help = "pool to hand over",
                             .required = true,
                             .defaultValue = std::nullopt,
                             .choices = {}}},
                .run = [](const Arguments& args, CommandIo& io) {
                  io.out << "handing over " << args.value("pool");
                  return 0;
                }});
  Command duplicate;
  duplicate.name = "handover";
  EXPECT_THROW(registry.add(duplicate), std::logic_error);
  std::ostringstream out;
  std::ostringstream err;
  CommandIo io{out, err};
  EXPECT_EQ(registry.dispatch({"handover", "--pool", "colossus-1"}, io), 0);
  EXPECT_EQ(out.str(), "handing over colossus-1");
  EXPECT_EQ(registry.dispatch({"handover"}, io), 2);
  EXPECT_THAT(err.str(), HasSubstr("kubectl-landlord handover: --pool NAME is required"));
}

}  // namespace
}  // namespace landlord::cli
