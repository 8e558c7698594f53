// CRUD, conflicts, patches, deletes, subresources, discovery, pagination and
// events against the real kube-apiserver.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "e2e_support.h"
#include "landlord/operator/client/events.h"
#include "landlord/operator/client/rest_client.h"

namespace landlord::kube::e2e {
namespace {

using nlohmann::json;

json configMap(const std::string& name, json data = json::object()) {
  return {
      {"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}, {"data", data}};
}

class OperatorE2E : public ::testing::Test {
 protected:
  std::unique_ptr<Client> client = adminClient();
};

TEST_F(OperatorE2E, CrudWithConflictsOnStaleResourceVersions) {
  TestNamespace ns(*client, "crud");
  json created =
      client->create(resources::configMaps(), ns.name(), configMap("pool", {{"gpus", "8"}}));
  EXPECT_EQ(created["metadata"]["namespace"], ns.name());
  EXPECT_THROW(client->create(resources::configMaps(), ns.name(), configMap("pool")),
               AlreadyExistsError);

  json fresh = client->get(resources::configMaps(), ns.name(), "pool");
  fresh["data"]["gpus"] = "16";
  json updated = client->update(resources::configMaps(), fresh);
  EXPECT_EQ(updated["data"]["gpus"], "16");

  json stale = created;  // older resourceVersion
  stale["data"]["gpus"] = "4";
  try {
    client->update(resources::configMaps(), stale);
    FAIL() << "stale update accepted";
  } catch (const ConflictError& error) {
    EXPECT_EQ(error.code(), 409);
    EXPECT_NE(std::string(error.what()).find(client->server()), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("/configmaps/pool"), std::string::npos);
  }

  client->remove(resources::configMaps(), ns.name(), "pool");
  EXPECT_THROW(client->get(resources::configMaps(), ns.name(), "pool"), NotFoundError);
  EXPECT_THROW(client->remove(resources::configMaps(), ns.name(), "pool"), NotFoundError);
}

TEST_F(OperatorE2E, MergeJsonAndServerSideApplyPatches) {
  TestNamespace ns(*client, "patch");
  client->create(resources::configMaps(), ns.name(), configMap("cm", {{"a", "1"}}));
  client->patch(resources::configMaps(), ns.name(), "cm", PatchType::Merge,
                {{"data", {{"b", "2"}}}});
  client->patch(resources::configMaps(), ns.name(), "cm", PatchType::Json,
                json::array({{{"op", "remove"}, {"path", "/data/a"}}}));
  json cm = client->get(resources::configMaps(), ns.name(), "cm");
  EXPECT_EQ(cm["data"], (json{{"b", "2"}}));

  PatchOptions alice;
  alice.fieldManager = "alice";
  client->patch(resources::configMaps(), ns.name(), "applied", PatchType::ServerSideApply,
                configMap("applied", {{"owner", "alice"}}), alice);
  PatchOptions bob;
  bob.fieldManager = "bob";
  EXPECT_THROW(
      client->patch(resources::configMaps(), ns.name(), "applied", PatchType::ServerSideApply,
                    configMap("applied", {{"owner", "bob"}}), bob),
      ConflictError);
  bob.force = true;
  json forced =
      client->patch(resources::configMaps(), ns.name(), "applied", PatchType::ServerSideApply,
                    configMap("applied", {{"owner", "bob"}}), bob);
  EXPECT_EQ(forced["data"]["owner"], "bob");
}

TEST_F(OperatorE2E, DeletePreconditionsAndInvalidObjects) {
  TestNamespace ns(*client, "delete");
  json cm = client->create(resources::configMaps(), ns.name(), configMap("cm"));
  DeleteOptions wrongUid;
  wrongUid.preconditionUid = "00000000-0000-0000-0000-000000000000";
  EXPECT_THROW(client->remove(resources::configMaps(), ns.name(), "cm", wrongUid), ConflictError);
  DeleteOptions right;
  right.preconditionUid = cm["metadata"]["uid"].get<std::string>();
  right.preconditionResourceVersion = cm["metadata"]["resourceVersion"].get<std::string>();
  right.propagationPolicy = PropagationPolicy::Background;
  right.gracePeriodSeconds = 0;
  client->remove(resources::configMaps(), ns.name(), "cm", right);
  EXPECT_THROW(client->get(resources::configMaps(), ns.name(), "cm"), NotFoundError);

  try {
    client->create(resources::configMaps(), ns.name(), configMap("Not_A_Valid_Name"));
    FAIL() << "invalid name accepted";
  } catch (const InvalidError& error) {
    ASSERT_FALSE(error.status().causes.empty());
    EXPECT_EQ(error.status().causes[0].field, "metadata.name");
  }
}

TEST_F(OperatorE2E, StatusSubresourceAndEvictionHonouringBudgets) {
  TestNamespace ns(*client, "evict");
  json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", "web-0"}, {"labels", {{"app", "web"}}}}},
              {"spec",
               {{"containers", json::array({{{"name", "c"}, {"image", "busybox"}}})},
                {"nodeName", "no-such-node"}}}};
  client->create(resources::pods(), ns.name(), pod);
  PatchOptions statusPatch;
  statusPatch.subresource = "status";
  json patched =
      client->patch(resources::pods(), ns.name(), "web-0", PatchType::Merge,
                    {{"status",
                      {{"phase", "Running"},
                       {"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}},
                    statusPatch);
  EXPECT_EQ(patched["status"]["phase"], "Running");

  json pdb = {{"apiVersion", "policy/v1"},
              {"kind", "PodDisruptionBudget"},
              {"metadata", {{"name", "web"}}},
              {"spec", {{"minAvailable", 1}, {"selector", {{"matchLabels", {{"app", "web"}}}}}}}};
  client->create(resources::podDisruptionBudgets(), ns.name(), pdb);
  // The disruption controller computes the budget; until then, and after,
  // evicting the only ready pod must be refused with 429.
  ASSERT_TRUE(eventually(
      [&] {
        json status = client->get(resources::podDisruptionBudgets(), ns.name(), "web")
                          .value("status", json::object());
        return status.value("observedGeneration", 0) >= 1;
      },
      std::chrono::seconds(30)));
  EXPECT_THROW(evictPod(*client, ns.name(), "web-0"), TooManyRequestsError);
  client->remove(resources::podDisruptionBudgets(), ns.name(), "web");
  ASSERT_TRUE(eventually(
      [&] {
        try {
          evictPod(*client, ns.name(), "web-0");
          return true;
        } catch (const TooManyRequestsError&) {
          return false;
        }
      },
      std::chrono::seconds(30)));
}

TEST_F(OperatorE2E, CustomResourcesThroughDiscovery) {
  json crd = {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", "widgets.e2e.landlord.dev"}}},
      {"spec",
       {{"group", "e2e.landlord.dev"},
        {"scope", "Namespaced"},
        {"names", {{"plural", "widgets"}, {"singular", "widget"}, {"kind", "Widget"}}},
        {"versions", json::array({{{"name", "v1"},
                                   {"served", true},
                                   {"storage", true},
                                   {"subresources", {{"status", json::object()}}},
                                   {"schema",
                                    {{"openAPIV3Schema",
                                      {{"type", "object"},
                                       {"x-kubernetes-preserve-unknown-fields", true}}}}}}})}}}};
  try {
    client->create(resources::customResourceDefinitions(), "", crd);
  } catch (const AlreadyExistsError&) {
  }
  GroupVersionResource widgets;
  ASSERT_TRUE(eventually(
      [&] {
        client->invalidateDiscovery();
        try {
          widgets = resolveKind(*client, "e2e.landlord.dev/v1", "Widget");
          return true;
        } catch (const ApiError&) {
          return false;
        }
      },
      std::chrono::seconds(30)));
  EXPECT_EQ(widgets.resource, "widgets");
  EXPECT_TRUE(widgets.namespaced);
  TestNamespace ns(*client, "crd");
  client->create(widgets, ns.name(),
                 {{"apiVersion", "e2e.landlord.dev/v1"},
                  {"kind", "Widget"},
                  {"metadata", {{"name", "w"}}},
                  {"spec", {{"size", 3}}}});
  UpdateOptions status;
  status.subresource = "status";
  json w = client->get(widgets, ns.name(), "w");
  w["status"] = {{"ready", true}};
  client->update(widgets, w, status);
  EXPECT_EQ(client->get(widgets, ns.name(), "w")["status"]["ready"], true);
}

TEST_F(OperatorE2E, PaginatesOverTwoThousandConfigMaps) {
  TestNamespace ns(*client, "pages");
  constexpr int kCount = 2000;
  std::atomic<int> next{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&] {
      for (int i = next++; i < kCount; i = next++) {
        client->create(resources::configMaps(), ns.name(),
                       configMap("cm-" + std::to_string(i), {{"i", std::to_string(i)}}));
      }
    });
  }
  for (auto& writer : writers)
    writer.join();

  ListOptions page;
  page.limit = 500;
  std::set<std::string> names;
  int pages = 0;
  std::string firstVersion;
  do {
    ObjectList part = client->list(resources::configMaps(), ns.name(), page);
    ++pages;
    if (pages == 1) {
      firstVersion = part.resourceVersion;
      ASSERT_TRUE(part.remainingItemCount.has_value());
    }
    EXPECT_EQ(part.resourceVersion, firstVersion);  // one consistent snapshot
    for (const json& item : part.items)
      names.insert(item["metadata"]["name"].get<std::string>());
    page.continueToken = part.continueToken;
  } while (!page.continueToken.empty());
  // 2000 + kube-root-ca.crt, which the controller-manager publishes.
  EXPECT_GE(names.size(), static_cast<std::size_t>(kCount));
  EXPECT_EQ(pages, static_cast<int>((names.size() + 499) / 500));
  EXPECT_EQ(listAll(*client, resources::configMaps(), ns.name()).items.size(), names.size());

  ListOptions selected;
  selected.fieldSelector = "metadata.name=cm-1234";
  EXPECT_EQ(client->list(resources::configMaps(), ns.name(), selected).items.size(), 1u);
}

TEST_F(OperatorE2E, RepeatedEventsBecomeOneSeries) {
  TestNamespace ns(*client, "events");
  json cm = client->create(resources::configMaps(), ns.name(), configMap("subject"));
  SteadyClock clock;
  EventRecorderOptions options;
  options.reportingController = "landlord.dev/operator";
  options.reportingInstance = "e2e";
  auto recorder = makeApiEventRecorder(*client, options, clock);
  for (int i = 0; i < 3; ++i) {
    recorder->record(referenceTo(cm), EventType::Warning, "EvictionBlocked", "Drain",
                     "PDB blocks web-0");
  }
  recorder->record(referenceTo(cm), EventType::Normal, "Activated", "Provision", "pool active");
  ObjectList events = client->list(resources::events(), ns.name());
  ASSERT_EQ(events.items.size(), 2u);
  std::map<std::string, json> byReason;
  for (const json& event : events.items)
    byReason[event["reason"]] = event;
  EXPECT_EQ(byReason["EvictionBlocked"]["series"]["count"], 3);
  EXPECT_EQ(byReason["EvictionBlocked"]["regarding"]["uid"], cm["metadata"]["uid"]);
  EXPECT_FALSE(byReason["Activated"].contains("series"));
}

}  // namespace
}  // namespace landlord::kube::e2e
