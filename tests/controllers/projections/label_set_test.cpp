#include "landlord/controllers/projections/label_set.h"

#include <gtest/gtest.h>

#include "landlord/controllers/projections/node.h"

namespace landlord::controllers {
namespace {

TEST(LabelSet, FindsEveryLabelItWasGivenAndNoOther) {
  const LabelSet labels{{"topology.kubernetes.io/zone", "colossus-1"},
                        {"a", ""},
                        {"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}};
  EXPECT_EQ(labels.get("topology.kubernetes.io/zone"), "colossus-1");
  EXPECT_EQ(labels.get("a"), "");
  EXPECT_EQ(labels.get("nvidia.com/gpu.product"), "NVIDIA-H100-80GB-HBM3");
  EXPECT_FALSE(labels.get("nvidia.com/gpu"));
  EXPECT_FALSE(labels.get(""));
  EXPECT_FALSE(labels.contains("zzz"));
  EXPECT_EQ(labels.size(), 3u);
}

TEST(LabelSet, IteratesInKeyOrderAndRoundTripsThroughAMap) {
  const std::map<std::string, std::string> given{{"b", "2"}, {"a", "1"}, {"c", "3"}};
  const LabelSet labels(given);
  std::vector<std::string> keys;
  for (const auto& [key, value] : labels) {
    keys.emplace_back(key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(labels.toMap(), given);
}

TEST(LabelSet, ALaterDuplicateKeyWins) {
  const LabelSet labels(std::vector<std::pair<std::string, std::string>>{
      {"k", "first"}, {"j", "x"}, {"k", "second"}});
  EXPECT_EQ(labels.get("k"), "second");
  EXPECT_EQ(labels.size(), 2u);
}

TEST(LabelSet, EqualOnlyWhenEveryKeyAndValueIs) {
  EXPECT_EQ((LabelSet{{"a", "1"}, {"b", "2"}}), (LabelSet{{"b", "2"}, {"a", "1"}}));
  EXPECT_NE((LabelSet{{"a", "1"}}), (LabelSet{{"a", "2"}}));
  EXPECT_NE((LabelSet{{"a", "1"}}), (LabelSet{{"a", "1"}, {"b", ""}}));
  EXPECT_NE((LabelSet{{"ab", ""}}), (LabelSet{{"a", "b"}}));
  EXPECT_TRUE(LabelSet{}.empty());
  EXPECT_EQ(LabelSet{}.size(), 0u);
}

TEST(LabelSet, KeepsLabelsInOneAllocationWithAFewBytesBesideTheirText) {
  std::vector<std::pair<std::string, std::string>> given;
  std::size_t text = 0;
  for (int i = 0; i < 11; ++i) {
    given.emplace_back("example.com/label-" + std::to_string(i),
                       "value-of-label-" + std::to_string(i));
    text += given.back().first.size() + given.back().second.size();
  }
  const LabelSet labels(given);
  // A tag and two one-byte lengths per label, and the whole's length (two bytes
  // past 127); a std::map of std::strings costs a tree node and two heap strings
  // per label.
  EXPECT_LE(labels.heapBytes(), text + 3 * given.size() + 2);
  EXPECT_EQ(labels.toMap(), (std::map<std::string, std::string>(given.begin(), given.end())));
}

TEST(LabelSet, StoresTheKeysOfAGpuNodeAndTheirCommonValuesInAByteEach) {
  const std::map<std::string, std::string> given{
      {"kubernetes.io/hostname", "colossus-1-h100-00001"},
      {"kubernetes.io/os", "linux"},
      {"kubernetes.io/arch", "amd64"},
      {"topology.kubernetes.io/zone", "colossus-1"},
      {"nvidia.com/gpu.present", "true"},
      {"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"},
      {"nvidia.com/gpu.count", "8"},
      {"landlord.dev/pool", "colossus-1"},
      {"landlord.dev/gpu-model", "H100"},
      {"landlord.dev/tenant", "owner"}};
  // Spelled out: what tells this node apart from its pool's others. The OS,
  // architecture, product, GPU count and model take a byte each, as do the keys.
  const std::size_t distinctValues = std::string("colossus-1-h100-00001").size() +
                                     2 * std::string("colossus-1").size() +
                                     std::string("owner").size();
  const LabelSet labels(given);
  EXPECT_LE(labels.heapBytes(), distinctValues + 2 * given.size() + 1);
  EXPECT_EQ(labels.toMap(), given);
  EXPECT_EQ(labels.get("landlord.dev/gpu-model"), "H100");
  EXPECT_EQ(labels.get("kubernetes.io/hostname"), "colossus-1-h100-00001");
}

TEST(LabelSet, FindsWellKnownAndOtherKeysMixedInKeyOrder) {
  const LabelSet labels{{"zz.example/last", "z"},
                        {"kubernetes.io/os", "linux"},
                        {"a.example/first", "a"},
                        {"kubernetes.io/osx", "not well-known"},
                        {"kubernetes.io/o", "shorter"}};
  std::vector<std::string> keys;
  for (const auto& [key, value] : labels) {
    keys.emplace_back(key);
  }
  EXPECT_EQ(keys,
            (std::vector<std::string>{"a.example/first", "kubernetes.io/o", "kubernetes.io/os",
                                      "kubernetes.io/osx", "zz.example/last"}));
  EXPECT_EQ(labels.get("kubernetes.io/os"), "linux");
  EXPECT_EQ(labels.get("kubernetes.io/osx"), "not well-known");
  EXPECT_EQ(labels.get("kubernetes.io/o"), "shorter");
  EXPECT_EQ(labels.get("zz.example/last"), "z");
  EXPECT_FALSE(labels.get("kubernetes.io/arch"));
}

TEST(LabelSet, KeepsKeysAndValuesOfAnyLengthWhole) {
  // Lengths from 127 up need more than one byte; annotations-sized values and the
  // empty key must come back exactly as given.
  const std::string longKey = "example.com/" + std::string(200, 'k');
  const std::string longValue(70'000, 'v');
  const std::string edgeValue(128, 'e');
  const LabelSet labels{{longKey, longValue},
                        {"", "empty key"},
                        {"edge", edgeValue},
                        {"just-under", std::string(127, 'u')},
                        {"longest-short", std::string(63, 's')},
                        {"shortest-long", std::string(64, 'l')},
                        {"almost-well-known", "NVIDIA-H100"},
                        {"kubernetes.io/hostname", ""}};
  EXPECT_EQ(labels.get(longKey), longValue);
  EXPECT_EQ(labels.get(""), "empty key");
  EXPECT_EQ(labels.get("edge"), edgeValue);
  EXPECT_EQ(labels.get("just-under"), std::string(127, 'u'));
  EXPECT_EQ(labels.get("longest-short"), std::string(63, 's'));
  EXPECT_EQ(labels.get("shortest-long"), std::string(64, 'l'));
  EXPECT_EQ(labels.get("almost-well-known"), "NVIDIA-H100");
  EXPECT_EQ(labels.get("kubernetes.io/hostname"), "");
  EXPECT_EQ(labels.size(), 8u);
}

TEST(NodeProjection, KeepsEveryStringLabelAndReadsTheGpuProductFromThem) {
  const nlohmann::json node = {
      {"metadata",
       {{"name", "n1"},
        {"labels",
         {{"nvidia.com/gpu.product", "NVIDIA-H200"}, {"nvidia.com/gpu.count", "8"}, {"odd", 5}}}}}};
  const NodeInfo info = projectNode(node);
  EXPECT_EQ(info.labels.toMap(),
            (std::map<std::string, std::string>{{"nvidia.com/gpu.count", "8"},
                                                {"nvidia.com/gpu.product", "NVIDIA-H200"}}));
  EXPECT_EQ(info.product(), "NVIDIA-H200");
  EXPECT_EQ(info.gpus, 8);
}

}  // namespace
}  // namespace landlord::controllers
