#include "landlord/operator/base/packed_text.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace landlord::kube::packed {
namespace {

TEST(PackedStringTest, KeepsTextOfAnyLengthWhole) {
  for (const std::string& text :
       {std::string(), std::string("colossus-1-h100-00001"), std::string(127, 'a'),
        std::string(128, 'b'), std::string(70'000, 'c')}) {
    EXPECT_EQ(String(text).view(), text);
  }
  EXPECT_EQ(String().view(), "");
  EXPECT_EQ(String("node-a"), String("node-a"));
  EXPECT_FALSE(String("node-a") == String("node-b"));
}

TEST(PackedStringTest, MovesItsTextWithoutCopying) {
  String first("node-a");
  const char* text = first.view().data();
  String second(std::move(first));
  EXPECT_EQ(second.view(), "node-a");
  EXPECT_EQ(second.view().data(), text);
}

TEST(PackedStringTest, AnUnorderedSetOfThemIsFoundByView) {
  std::unordered_set<String, StringHash, StringEqual> names;
  for (int i = 0; i < 1000; ++i) {
    names.emplace("node-" + std::to_string(i));
  }
  EXPECT_EQ(names.size(), 1000u);
  EXPECT_TRUE(names.contains(std::string_view("node-999")));
  EXPECT_FALSE(names.contains(std::string_view("node-1000")));
  names.erase(names.find(std::string_view("node-0")));
  EXPECT_EQ(names.count(std::string_view("node-0")), 0u);
  EXPECT_EQ(names.size(), 999u);
}

}  // namespace
}  // namespace landlord::kube::packed
