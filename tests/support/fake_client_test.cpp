#include "landlord/testing/fake_client.h"

#include <gtest/gtest.h>

#include "landlord/operator/client/client.h"

namespace landlord::kube {
namespace {

using nlohmann::json;

GroupVersionResource leases() {
  return GroupVersionResource{"landlord.dev", "v1alpha1", "poolleases", false, "PoolLease"};
}

json withFinalizer(const std::string& name) {
  return {{"metadata", {{"name", name}, {"finalizers", {"landlord.dev/release-nodes"}}}},
          {"spec", {{"pool", "c1"}}}};
}

json pod(const std::string& name) {
  return {{"metadata", {{"name", name}}}, {"spec", {{"nodeName", "n1"}}}};
}

// The events a watch from `from` sees, as "Type name" strings, until none is pending.
std::vector<std::string> eventsSince(FakeClient& fake, const GroupVersionResource& resource,
                                     const std::string& from, std::size_t count) {
  WatchOptions options;
  options.resourceVersion = from;
  auto stream = fake.watch(resource, "", options);
  std::vector<std::string> out;
  const char* names[] = {"Added", "Modified", "Deleted", "Bookmark", "Error"};
  for (std::size_t i = 0; i < count; ++i) {
    auto event = stream->next();
    if (!event) {
      break;
    }
    out.push_back(std::string(names[static_cast<int>(event->type)]) + " " +
                  event->object["metadata"].value("name", ""));
  }
  return out;
}

TEST(FakeClientDeletion, WithoutFinalizersTheObjectGoesAtOnce) {
  FakeClient fake;
  fake.create(leases(), "", {{"metadata", {{"name", "plain"}}}});
  const json answer = fake.remove(leases(), "", "plain");
  EXPECT_EQ(answer.value("status", ""), "Success");
  EXPECT_THROW(fake.get(leases(), "", "plain"), NotFoundError);
}

TEST(FakeClientDeletion, FinalizersKeepTheObjectMarkedUntilTheLastIsRemoved) {
  FakeClient fake;
  const json created = fake.create(leases(), "", withFinalizer("held"));
  const std::string from = created["metadata"]["resourceVersion"];

  const json marked = fake.remove(leases(), "", "held");
  EXPECT_TRUE(marked["metadata"].contains("deletionTimestamp"));
  json stored = fake.get(leases(), "", "held");
  EXPECT_TRUE(stored["metadata"].contains("deletionTimestamp"));
  // A second DELETE changes nothing; a write cannot clear the mark.
  EXPECT_EQ(fake.remove(leases(), "", "held")["metadata"]["resourceVersion"],
            stored["metadata"]["resourceVersion"]);
  stored["metadata"].erase("deletionTimestamp");
  stored["spec"]["pool"] = "c2";
  stored = fake.update(leases(), stored);
  EXPECT_TRUE(stored["metadata"].contains("deletionTimestamp"));

  fake.patch(leases(), "", "held", PatchType::Merge,
             {{"metadata", {{"finalizers", json::array()}}}});
  EXPECT_THROW(fake.get(leases(), "", "held"), NotFoundError);
  EXPECT_EQ(eventsSince(fake, leases(), from, 3),
            (std::vector<std::string>{"Modified held", "Modified held", "Deleted held"}));
}

TEST(FakeClientDeletion, AnUpdateDroppingTheLastFinalizerDeletes) {
  FakeClient fake;
  fake.create(leases(), "", withFinalizer("held"));
  json marked = fake.remove(leases(), "", "held");
  marked["metadata"]["finalizers"] = json::array();
  fake.update(leases(), marked);
  EXPECT_TRUE(fake.objects(leases()).empty());
}

TEST(FakeClientPatch, ResourceVersionInAMergePatchIsAPrecondition) {
  FakeClient fake;
  const json created = fake.create(leases(), "", {{"metadata", {{"name", "a"}}}});
  fake.patch(leases(), "", "a", PatchType::Merge, {{"spec", {{"pool", "c1"}}}});
  EXPECT_THROW(
      fake.patch(leases(), "", "a", PatchType::Merge,
                 {{"metadata", {{"resourceVersion", created["metadata"]["resourceVersion"]}}},
                  {"spec", {{"pool", "c2"}}}}),
      ConflictError);
  const json current = fake.get(leases(), "", "a");
  EXPECT_EQ(current["spec"]["pool"], "c1");
  fake.patch(leases(), "", "a", PatchType::Merge,
             {{"metadata", {{"resourceVersion", current["metadata"]["resourceVersion"]}}},
              {"spec", {{"pool", "c2"}}}});
  EXPECT_EQ(fake.get(leases(), "", "a")["spec"]["pool"], "c2");
}

TEST(FakeClientEviction, EvictingAPodDeletesIt) {
  FakeClient fake;
  fake.create(resources::pods(), "team", pod("web-0"));
  evictPod(fake, "team", "web-0");
  EXPECT_THROW(fake.get(resources::pods(), "team", "web-0"), NotFoundError);
  EXPECT_THROW(evictPod(fake, "team", "web-0"), NotFoundError);
}

TEST(FakeClientEviction, AnEvictedPodWithFinalizersIsOnlyMarked) {
  FakeClient fake;
  json object = pod("web-0");
  object["metadata"]["finalizers"] = {"example.com/keep"};
  fake.create(resources::pods(), "team", object);
  evictPod(fake, "team", "web-0");
  EXPECT_TRUE(
      fake.get(resources::pods(), "team", "web-0")["metadata"].contains("deletionTimestamp"));
}

}  // namespace
}  // namespace landlord::kube
