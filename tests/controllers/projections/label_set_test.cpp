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

TEST(LabelSet, KeepsANodesLabelsInOneAllocationSmallerThanTheirText) {
  std::vector<std::pair<std::string, std::string>> given;
  std::size_t text = 0;
  for (int i = 0; i < 11; ++i) {
    given.emplace_back("example.com/label-" + std::to_string(i),
                       "value-of-label-" + std::to_string(i));
    text += given.back().first.size() + given.back().second.size();
  }
  const LabelSet labels(given);
  // Eight bytes of lengths per label beside the text; a std::map of std::strings
  // costs a tree node and two heap strings per label.
  EXPECT_LE(labels.heapBytes(), text + 8 * given.size() + 1);
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
  EXPECT_EQ(info.product, "NVIDIA-H200");
  EXPECT_EQ(info.gpus, 8);
}

}  // namespace
}  // namespace landlord::controllers
