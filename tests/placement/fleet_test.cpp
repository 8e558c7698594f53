#include "landlord/placement/fleet.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "landlord/placement/errors.h"
#include "source_tree.h"

namespace landlord::placement {
namespace {

using ::testing::HasSubstr;

std::string parseErrorOf(std::string_view yaml) {
  try {
    parseFleet(yaml, "fleet.yaml");
  } catch (const ParseError& error) {
    return error.what();
  }
  return "no error";
}

constexpr std::string_view kMinimal = R"(name: tiny
pools:
  - name: p1
    groups:
      - product: NVIDIA-H100-80GB-HBM3
        gpus: 16
        gpusPerNode: 8
)";

TEST(FleetTest, ParsesReferenceFleet) {
  const FleetSpec fleet =
      parseFleet(testing::readRepositoryFile("e2e/fleets/reference.yaml"), "reference.yaml");
  EXPECT_EQ(fleet.name, "reference");
  EXPECT_EQ(fleet.source, "reference.yaml");
  ASSERT_EQ(fleet.pools.size(), 2u);
  const PoolSpec& mixed = fleet.pools[0];
  EXPECT_EQ(mixed.name, "colossus-1");
  ASSERT_EQ(mixed.groups.size(), 3u);
  EXPECT_EQ(mixed.groups[0].product, "NVIDIA-H100-80GB-HBM3");
  EXPECT_EQ(mixed.groups[0].gpus, 150000);
  EXPECT_EQ(mixed.groups[0].gpusPerNode, 8);
  EXPECT_EQ(mixed.groups[2].product, "NVIDIA-GB200");
  EXPECT_EQ(mixed.groups[2].nodes(), 5000);
  EXPECT_EQ(mixed.gpus(), 220000);
  EXPECT_EQ(mixed.nodes(), 30000);
  EXPECT_EQ(fleet.pools[1].nodes(), 27500);
  EXPECT_EQ(fleet.nodes(), 57500);
  EXPECT_EQ(fleet.gpus(), 330000);
  EXPECT_FALSE(fleet.trainingValuePerH100EqHour.has_value());
  EXPECT_FALSE(mixed.observedTrainingEfficiency.has_value());
}

TEST(FleetTest, ParsesHundredthScaleFleetWith575Nodes) {
  const FleetSpec fleet = parseFleet(testing::readRepositoryFile("e2e/fleets/reference-1-100.yaml"),
                                     "reference-1-100.yaml");
  ASSERT_EQ(fleet.pools.size(), 2u);
  std::map<std::string, std::int64_t> gpusByProduct;
  for (const NodeGroupSpec& group : fleet.pools[0].groups) {
    gpusByProduct[group.product] += group.gpus;
  }
  EXPECT_EQ(gpusByProduct["NVIDIA-H100-80GB-HBM3"], 1504);
  EXPECT_EQ(gpusByProduct["NVIDIA-H200"], 496);
  EXPECT_EQ(gpusByProduct["NVIDIA-GB200"], 200);
  EXPECT_EQ(fleet.pools[0].nodes(), 300);
  EXPECT_EQ(fleet.pools[1].gpus(), 1100);
  EXPECT_EQ(fleet.pools[1].nodes(), 275);
  EXPECT_EQ(fleet.nodes(), 575);
}

TEST(FleetTest, ParsesOptionalFieldsExactly) {
  const FleetSpec fleet = parseFleet(R"(name: priced
trainingValuePerH100EqHour: "2.35"
pools:
  - name: p1
    observedTrainingEfficiency: 0.31
    pricing:
      H100: 2.10
    groups:
      - product: NVIDIA-H100-80GB-HBM3
        gpus: 8
        gpusPerNode: 8
)",
                                     "priced.yaml");
  ASSERT_TRUE(fleet.trainingValuePerH100EqHour.has_value());
  EXPECT_EQ(fleet.trainingValuePerH100EqHour->micros(), 2'350'000);
  ASSERT_TRUE(fleet.pools[0].observedTrainingEfficiency.has_value());
  EXPECT_TRUE(fleet.pools[0].observedTrainingEfficiency->equals(Ratio{31, 100}));
  EXPECT_EQ(fleet.pools[0].pricing.at("H100").micros(), 2'100'000);
}

TEST(FleetTest, MinimalFleetParses) {
  const FleetSpec fleet = parseFleet(kMinimal, "fleet.yaml");
  EXPECT_EQ(fleet.pools.at(0).groups.at(0).nodes(), 2);
  EXPECT_EQ(fleet.pools.at(0).groups.at(0).line, 5);
}

TEST(FleetTest, RejectsGpusNotMultipleOfGpusPerNode) {
  std::string yaml(kMinimal);
  yaml.replace(yaml.find("gpus: 16"), 8, "gpus: 12");
  EXPECT_EQ(parseErrorOf(yaml),
            "fleet.yaml:5: pools[0].groups[0].gpus: 12 is not a multiple of gpusPerNode 8");
}

TEST(FleetTest, RejectsGpusPerNodeOutOfRange) {
  std::string yaml(kMinimal);
  yaml.replace(yaml.find("gpusPerNode: 8"), 14, "gpusPerNode: 65");
  EXPECT_EQ(parseErrorOf(yaml),
            "fleet.yaml:7: pools[0].groups[0].gpusPerNode: must be between 1 and 64, got 65");
  yaml.replace(yaml.find("gpusPerNode: 65"), 15, "gpusPerNode: 0");
  EXPECT_THAT(parseErrorOf(yaml), HasSubstr("gpusPerNode: must be between 1 and 64, got 0"));
}

TEST(FleetTest, RejectsZeroOrNegativeOrFractionalGpus) {
  for (const std::string bad : {"0", "-8", "8.0", "many"}) {
    std::string yaml(kMinimal);
    yaml.replace(yaml.find("gpus: 16"), 8, "gpus: " + bad);
    EXPECT_THAT(parseErrorOf(yaml), HasSubstr("fleet.yaml:6: pools[0].groups[0].gpus: ")) << bad;
  }
}

TEST(FleetTest, RejectsPoolNamesThatAreNotDnsLabels) {
  for (const std::string& bad :
       std::vector<std::string>{"Colossus", "-pool", "pool-", "pool_1", std::string(64, 'a')}) {
    std::string yaml(kMinimal);
    yaml.replace(yaml.find("name: p1"), 8, "name: " + bad);
    EXPECT_THAT(parseErrorOf(yaml),
                HasSubstr("fleet.yaml:3: pools[0].name: \"" + bad + "\" is not a DNS-1123 label"))
        << bad;
  }
}

TEST(FleetTest, RejectsDuplicatePoolNames) {
  const std::string yaml =
      std::string(kMinimal) + std::string(kMinimal.substr(kMinimal.find("  - name")));
  EXPECT_EQ(parseErrorOf(yaml), "fleet.yaml:8: pools[1].name: duplicate pool name \"p1\"");
}

TEST(FleetTest, RejectsMissingFieldsNamingThem) {
  std::string yaml(kMinimal);
  yaml.erase(yaml.find("        gpusPerNode: 8\n"));
  EXPECT_EQ(parseErrorOf(yaml),
            "fleet.yaml:5: pools[0].groups[0].gpusPerNode: required field is missing");
  EXPECT_EQ(parseErrorOf("pools: []\n"), "fleet.yaml:1: name: required field is missing");
  EXPECT_EQ(parseErrorOf("name: x\npools: []\n"),
            "fleet.yaml:2: pools: a fleet needs at least one pool");
}

TEST(FleetTest, RejectsUnknownFieldsSoTyposAreNotIgnored) {
  std::string yaml(kMinimal);
  yaml.replace(yaml.find("gpusPerNode"), 11, "gpuPerNode");
  EXPECT_THAT(parseErrorOf(yaml),
              HasSubstr("fleet.yaml:7: pools[0].groups[0].gpuPerNode: unknown field"));
}

TEST(FleetTest, RejectsFieldsGivenTwice) {
  EXPECT_EQ(parseErrorOf("name: a\nname: b\npools: []\n"),
            "fleet.yaml:2: name: field is given twice");
}

TEST(FleetTest, RejectsMalformedMoneyAndEfficiency) {
  EXPECT_THAT(parseErrorOf("name: x\ntrainingValuePerH100EqHour: 2.2.0\npools: []\n"),
              HasSubstr("fleet.yaml:2: trainingValuePerH100EqHour: expected a plain decimal"));
  EXPECT_THAT(parseErrorOf("name: x\ntrainingValuePerH100EqHour: \"1e3\"\npools: []\n"),
              HasSubstr("fleet.yaml:2: trainingValuePerH100EqHour: expected a plain decimal"));
  std::string yaml(kMinimal);
  yaml.insert(yaml.find("    groups"), "    observedTrainingEfficiency: 1.5\n");
  EXPECT_THAT(parseErrorOf(yaml),
              HasSubstr("fleet.yaml:4: pools[0].observedTrainingEfficiency: must be greater than "
                        "0 and at most 1, got 1.5"));
}

TEST(FleetTest, ReportsYamlSyntaxErrorsWithLine) {
  EXPECT_THAT(parseErrorOf("name: x\npools:\n  - name: [unclosed\n"), HasSubstr("fleet.yaml:"));
  EXPECT_THAT(parseErrorOf("name: x\npools:\n  - name: [unclosed\n"), HasSubstr("invalid YAML"));
  EXPECT_EQ(parseErrorOf(""),
            "fleet.yaml:1: a fleet file must be a mapping with fields name and pools");
  EXPECT_THAT(parseErrorOf("- a\n- b\n"), HasSubstr("must be a mapping"));
}

// Bad input never crashes and never escapes as anything but a ParseError: every
// truncation and every single-character corruption of the reference file either
// parses or is rejected with a located reason.
TEST(FleetTest, EveryTruncationOrCorruptionParsesOrFailsCleanly) {
  const std::string text = testing::readRepositoryFile("e2e/fleets/reference.yaml");
  int rejected = 0;
  const auto attempt = [&](const std::string& yaml) {
    try {
      parseFleet(yaml, "fuzz.yaml");
    } catch (const ParseError& error) {
      ++rejected;
      EXPECT_THAT(error.what(), ::testing::StartsWith("fuzz.yaml:"));
      EXPECT_GE(error.line(), 1);
    }
  };
  for (std::size_t length = 0; length < text.size(); ++length) {
    attempt(text.substr(0, length));
  }
  for (std::size_t i = 0; i < text.size(); i += 3) {
    for (char replacement : {'-', ':', '0', '[', '"', '\n'}) {
      std::string corrupted = text;
      corrupted[i] = replacement;
      attempt(corrupted);
    }
  }
  EXPECT_GT(rejected, 100);  // the loop really exercised the error paths
}

TEST(FleetTest, ErrorCarriesStructuredLocation) {
  try {
    parseFleet("name: x\npools: 3\n", "f.yaml");
    FAIL() << "expected ParseError";
  } catch (const ParseError& error) {
    EXPECT_EQ(error.source(), "f.yaml");
    EXPECT_EQ(error.line(), 2);
    EXPECT_EQ(error.reason(), "pools: expected a list, got \"3\"");
  }
}

}  // namespace
}  // namespace landlord::placement
