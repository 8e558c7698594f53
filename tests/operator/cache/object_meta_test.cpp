#include "landlord/operator/cache/object_meta.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace landlord::kube {
namespace {

TEST(ObjectMetaTest, ReadsBackEachOfItsFourFields) {
  const ObjectMeta meta("tenant-a", "trainer-0", "0f4e8d2a-1b7c-4c1e-9a55-3f6f0b1d2e77", "123456");
  EXPECT_EQ(meta.ns(), "tenant-a");
  EXPECT_EQ(meta.name(), "trainer-0");
  EXPECT_EQ(meta.uid(), "0f4e8d2a-1b7c-4c1e-9a55-3f6f0b1d2e77");
  EXPECT_EQ(meta.resourceVersion(), "123456");
  EXPECT_EQ(meta.key(), "tenant-a/trainer-0");
}

TEST(ObjectMetaTest, AnEmptyIdentityIsFourEmptyFields) {
  const ObjectMeta empty;
  EXPECT_EQ(empty.ns(), "");
  EXPECT_EQ(empty.name(), "");
  EXPECT_EQ(empty.uid(), "");
  EXPECT_EQ(empty.resourceVersion(), "");
  EXPECT_EQ(empty.key(), "");
  EXPECT_EQ(empty, ObjectMeta("", "", "", ""));
}

TEST(ObjectMetaTest, KeepsFieldsOfAnyLengthApart) {
  const std::string longName(300, 'n');  // a length that takes two varint bytes
  const ObjectMeta meta("", longName, "", "7");
  EXPECT_EQ(meta.ns(), "");
  EXPECT_EQ(meta.name(), longName);
  EXPECT_EQ(meta.uid(), "");
  EXPECT_EQ(meta.resourceVersion(), "7");
  EXPECT_EQ(meta.key(), longName);  // cluster-scoped: no namespace in the key
}

TEST(ObjectMetaTest, CopiesAreEqualAndIndependent) {
  ObjectMeta original("ns", "a", "uid-a", "1");
  const ObjectMeta copy = original;
  EXPECT_EQ(copy, original);
  original = ObjectMeta("ns", "b", "uid-b", "2");
  EXPECT_EQ(copy.name(), "a");
  EXPECT_EQ(copy.resourceVersion(), "1");
  EXPECT_NE(copy, original);
  ObjectMeta assigned;
  assigned = copy;
  EXPECT_EQ(assigned, copy);
  const ObjectMeta& self = assigned;
  assigned = self;
  EXPECT_EQ(assigned.uid(), "uid-a");
}

TEST(ObjectMetaTest, DiffersInAnyField) {
  const ObjectMeta base("ns", "a", "u", "1");
  EXPECT_NE(base, ObjectMeta("other", "a", "u", "1"));
  EXPECT_NE(base, ObjectMeta("ns", "b", "u", "1"));
  EXPECT_NE(base, ObjectMeta("ns", "a", "v", "1"));
  EXPECT_NE(base, ObjectMeta("ns", "a", "u", "2"));
  // Field boundaries count: "ab"+"" is not "a"+"b".
  EXPECT_NE(ObjectMeta("ab", "", "u", "1"), ObjectMeta("a", "b", "u", "1"));
}

TEST(ObjectMetaTest, ReadsTheIdentityOfAnObject) {
  const auto pod = nlohmann::json::parse(R"({"metadata": {"namespace": "t1", "name": "p",
      "uid": "u-1", "resourceVersion": "42", "labels": {"a": "b"}}})");
  const ObjectMeta meta = objectMetaOf(pod);
  EXPECT_EQ(meta, ObjectMeta("t1", "p", "u-1", "42"));
  EXPECT_EQ(objectMetaOf(nlohmann::json::parse(R"({"metadata": {"name": "n1"}})")),
            ObjectMeta("", "n1", "", ""));
  EXPECT_EQ(objectMetaOf(nlohmann::json::parse(R"({"kind": "Status"})")), ObjectMeta());
  EXPECT_EQ(objectMetaOf(nlohmann::json::parse(R"({"metadata": "garbage"})")), ObjectMeta());
  // A field of the wrong type reads as absent rather than throwing mid-list.
  EXPECT_EQ(objectMetaOf(nlohmann::json::parse(R"({"metadata": {"name": 5, "uid": "u"}})")),
            ObjectMeta("", "", "u", ""));
}

}  // namespace
}  // namespace landlord::kube
