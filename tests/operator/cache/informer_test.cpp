#include "landlord/operator/cache/informer.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "landlord/testing/fake_client.h"

namespace landlord::kube {
namespace {

using nlohmann::json;

// What a placement controller reads from a Node.
struct NodeView {
  std::string gpuProduct;
  int gpus = 0;
  bool unschedulable = false;
  bool operator==(const NodeView&) const = default;
};

// The same without equality: the informer cannot tell whether it changed.
struct OpaqueNodeView {
  NodeView view;
};

NodeView projectNode(const json& node) {
  NodeView view;
  const json labels = node["metadata"].value("labels", json::object());
  view.gpuProduct = labels.value("nvidia.com/gpu.product", "");
  view.gpus = std::stoi(node.value("status", json::object())
                            .value("capacity", json::object())
                            .value("nvidia.com/gpu", "0"));
  view.unschedulable = node.value("spec", json::object()).value("unschedulable", false);
  return view;
}

json node(const std::string& name, const std::string& product, int gpus, const std::string& rv,
          const std::string& pool = "") {
  json labels = {{"nvidia.com/gpu.product", product}};
  if (!pool.empty())
    labels["landlord.dev/pool"] = pool;
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata",
           {{"name", name}, {"resourceVersion", rv}, {"uid", "u-" + name}, {"labels", labels}}},
          {"spec", json::object()},
          {"status",
           {{"capacity", {{"nvidia.com/gpu", std::to_string(gpus)}}},
            {"images", json::array({std::string(4000, 'x')})}}}};
}

Indexers nodeIndexers() {
  return {{"pool", labelIndexer("landlord.dev/pool")},
          {"model", [](const json& n) -> std::vector<std::string> {
             return {n["metadata"]["labels"].value("nvidia.com/gpu.product", "")};
           }}};
}

TEST(KubeStore, ProjectionKeepsOnlyDeclaredFieldsAndIdentity) {
  Store<NodeView> store(projectNode, nodeIndexers());
  store.upsert(store.makeEntry(node("n1", "NVIDIA-H100", 8, "1", "colossus-1")));
  auto cached = store.get("n1");
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->meta.name(), "n1");
  EXPECT_EQ(cached->meta.uid(), "u-n1");
  EXPECT_EQ(cached->meta.resourceVersion(), "1");
  EXPECT_EQ(cached->value.gpuProduct, "NVIDIA-H100");
  EXPECT_EQ(cached->value.gpus, 8);
}

TEST(KubeStore, IndexesFollowUpdatesAndDeletes) {
  Store<NodeView> store(projectNode, nodeIndexers());
  store.upsert(store.makeEntry(node("n1", "H100", 8, "1", "colossus-1")));
  store.upsert(store.makeEntry(node("n2", "GB200", 4, "2", "colossus-1")));
  store.upsert(store.makeEntry(node("n3", "GB200", 4, "3")));
  EXPECT_EQ(store.byIndex("pool", "colossus-1").size(), 2u);
  EXPECT_EQ(store.byIndex("model", "GB200").size(), 2u);
  EXPECT_TRUE(store.byIndex("pool", "").empty());  // absent label not indexed

  store.upsert(store.makeEntry(node("n2", "GB200", 4, "4", "colossus-2")));
  EXPECT_EQ(store.byIndex("pool", "colossus-1").size(), 1u);
  EXPECT_EQ(store.byIndex("pool", "colossus-2").size(), 1u);
  store.erase("n1");
  EXPECT_TRUE(store.byIndex("pool", "colossus-1").empty());
  EXPECT_EQ(store.indexValues("pool"), std::vector<std::string>{"colossus-2"});
  EXPECT_THROW(store.byIndex("nope", "x"), std::invalid_argument);
}

TEST(KubeStore, NamespaceIndexAndKeys) {
  Store<json> store(prunedJson({"/data/gpu"}), {{kNamespaceIndex, namespaceIndexer()}});
  store.upsert(store.makeEntry({{"metadata", {{"name", "a"}, {"namespace", "t1"}}},
                                {"data", {{"gpu", "8"}, {"big", "x"}}}}));
  store.upsert(store.makeEntry({{"metadata", {{"name", "a"}, {"namespace", "t2"}}}}));
  EXPECT_EQ(store.size(), 2u);
  auto t1 = store.byIndex(kNamespaceIndex, "t1");
  ASSERT_EQ(t1.size(), 1u);
  EXPECT_EQ(t1[0]->meta.key(), "t1/a");
  EXPECT_EQ(t1[0]->value, (json{{"data", {{"gpu", "8"}}}}));
}

TEST(KubeStore, FindsEachObjectByItsOwnKeyAmongNamesakes) {
  // The store keeps no key beside an entry: it finds it by namespace and name.
  Store<json> store(prunedJson({"/data"}), {});
  auto object = [](std::string ns, std::string name, std::string data) {
    json metadata = {{"name", std::move(name)}};
    if (!ns.empty()) {
      metadata["namespace"] = std::move(ns);
    }
    return json{{"metadata", metadata}, {"data", std::move(data)}};
  };
  store.upsert(store.makeEntry(object("t1", "a", "in t1")));
  store.upsert(store.makeEntry(object("t2", "a", "in t2")));
  store.upsert(store.makeEntry(object("", "a", "cluster-scoped")));
  store.upsert(store.makeEntry(object("t1a", "", "no name")));
  store.upsert(store.makeEntry(object("t2", "a", "in t2, again")));
  EXPECT_EQ(store.size(), 4u);
  EXPECT_EQ(store.get("t1/a")->value, (json{{"data", "in t1"}}));
  EXPECT_EQ(store.get("t2/a")->value, (json{{"data", "in t2, again"}}));
  EXPECT_EQ(store.get("a")->value, (json{{"data", "cluster-scoped"}}));
  EXPECT_EQ(store.get("t1a/")->value, (json{{"data", "no name"}}));
  EXPECT_EQ(store.get("t1/"), nullptr);
  EXPECT_EQ(store.get("t1"), nullptr);
  EXPECT_EQ(store.get("/a"), nullptr);
  auto keys = store.keys();
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "t1/a", "t1a/", "t2/a"}));
  EXPECT_EQ(store.erase("t2/a")->value, (json{{"data", "in t2, again"}}));
  EXPECT_EQ(store.get("t2/a"), nullptr);
  EXPECT_NE(store.get("t1/a"), nullptr);
  EXPECT_NE(store.get("a"), nullptr);
}

TEST(KubeStore, ReplaceReportsAddedUpdatedAndDeleted) {
  Store<NodeView> store(projectNode, {});
  store.upsert(store.makeEntry(node("keep", "H100", 8, "1")));
  store.upsert(store.makeEntry(node("change", "H100", 8, "2")));
  store.upsert(store.makeEntry(node("gone", "H100", 8, "3")));
  auto result = store.replace({store.makeEntry(node("keep", "H100", 8, "1")),
                               store.makeEntry(node("change", "H200", 8, "5")),
                               store.makeEntry(node("new", "B200", 8, "6"))});
  ASSERT_EQ(result.added.size(), 1u);
  EXPECT_EQ(result.added[0]->meta.name(), "new");
  ASSERT_EQ(result.updated.size(), 1u);
  EXPECT_EQ(result.updated[0].first->value.gpuProduct, "H100");
  EXPECT_EQ(result.updated[0].second->value.gpuProduct, "H200");
  ASSERT_EQ(result.deleted.size(), 1u);
  EXPECT_EQ(result.deleted[0]->meta.name(), "gone");
  EXPECT_EQ(store.size(), 3u);
}

// Counts handler calls and lets a test wait for the informer's thread.
struct Recorder {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> log;  // guarded by mutex

  EventHandlers<NodeView> handlers() {
    return {[this](const Cached<NodeView>& n) { push("add " + std::string(n.meta.name())); },
            [this](const Cached<NodeView>& o, const Cached<NodeView>& n) {
              push("update " + std::string(n.meta.name()) + " " + o.value.gpuProduct + "->" +
                   n.value.gpuProduct);
            },
            [this](const Cached<NodeView>& n) { push("delete " + std::string(n.meta.name())); }};
  }
  void push(std::string entry) {
    std::lock_guard lock(mutex);
    log.push_back(std::move(entry));
    cv.notify_all();
  }
  bool waitForCount(std::size_t count) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return log.size() >= count; });
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return log;
  }
};

TEST(KubeInformer, HandlersSeeOldAndNewProjections) {
  FakeClient fake;
  Informer<NodeView> informer(fake, resources::nodes(), projectNode);
  Recorder recorder;
  informer.addHandlers(recorder.handlers());
  informer.beginReplace();
  informer.replaceItem(node("n1", "H100", 8, "1"));
  informer.endReplace("1");
  EXPECT_TRUE(informer.hasSynced());
  informer.apply(WatchEventType::Modified, node("n1", "H200", 8, "2"));
  informer.apply(WatchEventType::Added, node("n2", "B200", 8, "3"));
  informer.apply(WatchEventType::Deleted, node("n1", "H200", 8, "4"));
  EXPECT_EQ(recorder.snapshot(),
            (std::vector<std::string>{"add n1", "update n1 H100->H200", "add n2", "delete n1"}));
  EXPECT_EQ(informer.list().size(), 1u);
}

TEST(KubeInformer, AHandlerSharesTheCachedObjectInsteadOfCopyingIt) {
  FakeClient fake;
  Informer<NodeView> informer(fake, resources::nodes(), projectNode);
  std::vector<Informer<NodeView>::Ptr> kept;
  informer.addHandlers(EventHandlers<NodeView>{
      [&](const Cached<NodeView>& added) { kept.push_back(informer.share(added)); },
      [&](const Cached<NodeView>&, const Cached<NodeView>& updated) {
        kept.push_back(informer.share(updated));
      },
      nullptr});
  informer.beginReplace();
  informer.replaceItem(node("n1", "H100", 8, "1"));
  informer.endReplace("1");
  informer.apply(WatchEventType::Modified, node("n1", "H200", 8, "2"));
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_NE(kept[0], kept[1]);
  EXPECT_EQ(kept[1], informer.get("n1")) << "the very object the store holds";
  EXPECT_EQ(kept[0]->value.gpuProduct, "H100") << "the replaced version stays whole";

  // An object the store does not hold (any more) is copied, never aliased.
  Cached<NodeView> elsewhere{{"", "n1", "u-n1", "9"}, {"B200", 8, false}, {}};
  const auto copy = informer.share(elsewhere);
  EXPECT_NE(copy.get(), &elsewhere);
  EXPECT_NE(copy, informer.get("n1"));
  EXPECT_EQ(copy->value.gpuProduct, "B200");
  EXPECT_EQ(copy->meta.resourceVersion(), "9");
}

TEST(KubeInformer, AnEventThatChangesNothingProjectedWakesNoHandlerButKeepsItsVersion) {
  FakeClient fake;
  Informer<NodeView> informer(fake, resources::nodes(), projectNode, nodeIndexers());
  Recorder recorder;
  informer.addHandlers(recorder.handlers());
  informer.beginReplace();
  informer.replaceItem(node("n1", "H100", 8, "1", "colossus-1"));
  informer.endReplace("1");
  // A heartbeat: only the resourceVersion and fields the projection drops change.
  json heartbeat = node("n1", "H100", 8, "2", "colossus-1");
  heartbeat["status"]["conditions"] = json::array({{{"type", "Ready"}, {"status", "True"}}});
  informer.apply(WatchEventType::Modified, heartbeat);
  EXPECT_EQ(informer.get("n1")->meta.resourceVersion(), "2");
  // An index value moves while the projection stays: handlers must hear of it.
  informer.apply(WatchEventType::Modified, node("n1", "H100", 8, "3", "colossus-2"));
  // A re-list that brings a new version of an unchanged object.
  informer.beginReplace();
  informer.replaceItem(node("n1", "H100", 8, "4", "colossus-2"));
  informer.endReplace("4");
  informer.apply(WatchEventType::Modified, node("n1", "H200", 8, "5", "colossus-2"));
  EXPECT_EQ(recorder.snapshot(),
            (std::vector<std::string>{"add n1", "update n1 H100->H100", "update n1 H100->H200"}));
  EXPECT_EQ(informer.get("n1")->meta.resourceVersion(), "5");
  EXPECT_EQ(informer.unchangedEvents(), 2u);  // the heartbeat and the re-listed copy
}

TEST(KubeInformer, TheEventObserverSeesEveryEventWithWhatItWas) {
  FakeClient fake;
  Informer<NodeView> informer(fake, resources::nodes(), projectNode, nodeIndexers());
  std::vector<std::string> seen;
  informer.observeEvents([&seen](InformerEvent event) { seen.emplace_back(toString(event)); });
  informer.beginReplace();
  informer.replaceItem(node("n1", "H100", 8, "1"));
  informer.endReplace("1");
  informer.apply(WatchEventType::Modified, node("n1", "H100", 8, "2"));  // a heartbeat
  informer.apply(WatchEventType::Modified, node("n1", "H200", 8, "3"));
  informer.apply(WatchEventType::Deleted, node("n1", "H200", 8, "4"));
  informer.apply(WatchEventType::Deleted, node("gone", "H200", 8, "5"));  // never cached
  EXPECT_EQ(seen, (std::vector<std::string>{"add", "unchanged", "update", "delete"}));
}

TEST(KubeInformer, ProjectionsWithoutEqualityWakeHandlersOnEveryVersion) {
  FakeClient fake;
  Informer<OpaqueNodeView> informer(fake, resources::nodes(),
                                    [](const json& n) { return OpaqueNodeView{projectNode(n)}; });
  int updates = 0;
  informer.addHandlers(EventHandlers<OpaqueNodeView>{
      nullptr, [&updates](const auto&, const auto&) { ++updates; }, nullptr});
  informer.apply(WatchEventType::Added, node("n1", "H100", 8, "1"));
  informer.apply(WatchEventType::Modified, node("n1", "H100", 8, "2"));
  EXPECT_EQ(updates, 1);
}

TEST(KubeInformer, ListsPagesThenWatchesAndConverges) {
  FakeClient fake;
  for (int i = 0; i < 7; ++i) {
    fake.create(resources::nodes(), "", node("n" + std::to_string(i), "H100", 8, ""));
  }
  ReflectorOptions options;
  options.pageSize = 3;
  Informer<NodeView> informer(fake, resources::nodes(), projectNode, nodeIndexers(), options);
  Recorder recorder;
  informer.addHandlers(recorder.handlers());
  informer.start();
  ASSERT_TRUE(informer.waitForSync(std::chrono::seconds(10)));
  EXPECT_EQ(informer.list().size(), 7u);
  int lists = 0;
  for (const std::string& request : fake.requests()) {
    lists += request.rfind("list nodes", 0) == 0;
  }
  EXPECT_EQ(lists, 3);  // 7 objects in pages of 3

  fake.patch(resources::nodes(), "", "n0", PatchType::Merge,
             {{"metadata", {{"labels", {{"nvidia.com/gpu.product", "H200"}}}}}});
  fake.remove(resources::nodes(), "", "n1");
  ASSERT_TRUE(recorder.waitForCount(9));
  informer.stop();
  EXPECT_EQ(informer.get("n0")->value.gpuProduct, "H200");
  EXPECT_EQ(informer.get("n1"), nullptr);
  EXPECT_EQ(informer.byIndex("model", "H200").size(), 1u);
}

TEST(KubeInformer, RelistsAfterGoneAndDeliversWhatWasMissed) {
  FakeClient fake;
  fake.create(resources::nodes(), "", node("a", "H100", 8, ""));
  fake.create(resources::nodes(), "", node("b", "H100", 8, ""));
  int watches = 0;
  // The first watch finds history compacted after changes it never saw, as
  // after a disconnection spanning an etcd compaction.
  fake.setRequestHook(
      [&](const std::string& verb, const ResourceRef&, std::string_view, std::string_view) {
        if (verb != "watch" || ++watches != 1)
          return;
        fake.remove(resources::nodes(), "", "a");
        fake.patch(resources::nodes(), "", "b", PatchType::Merge,
                   {{"metadata", {{"labels", {{"nvidia.com/gpu.product", "GB200"}}}}}});
        fake.create(resources::nodes(), "", node("c", "B200", 8, ""));
        fake.compact();
      });
  Informer<NodeView> informer(fake, resources::nodes(), projectNode);
  Recorder recorder;
  informer.addHandlers(recorder.handlers());
  informer.start();
  ASSERT_TRUE(recorder.waitForCount(5));
  informer.stop();
  std::vector<std::string> log = recorder.snapshot();
  std::vector<std::string> afterRelist(log.begin() + 2, log.end());
  std::sort(afterRelist.begin(), afterRelist.end());
  EXPECT_EQ(afterRelist, (std::vector<std::string>{"add c", "delete a", "update b H100->GB200"}));
  EXPECT_EQ(informer.reflector().listCount(), 2);
  std::vector<std::string> keys = informer.store().keys();
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"b", "c"}));
}

}  // namespace
}  // namespace landlord::kube

namespace landlord::kube {
namespace {

int watchRequests(const FakeClient& fake) {
  int count = 0;
  for (const std::string& request : fake.requests())
    count += request.rfind("watch ", 0) == 0;
  return count;
}

template <class Predicate>
bool spinUntil(Predicate done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(KubeInformer, AWatchThatEndsAtOnceBacksOffInsteadOfSpinning) {
  FakeClient fake;
  fake.create(resources::nodes(), "", node("a", "H100", 8, ""));
  FakeClock clock;
  Informer<NodeView> informer(fake, resources::nodes(), projectNode, {}, ReflectorOptions{}, clock);
  informer.start();
  ASSERT_TRUE(informer.waitForSync(std::chrono::seconds(10)));
  // End watches (as a proxy closing them would) until the reflector parks in
  // its backoff on the fake clock.
  ASSERT_TRUE(spinUntil([&] {
    fake.closeWatches();
    return clock.waiters() > 0;
  }));
  int watches = watchRequests(fake);
  EXPECT_EQ(watchRequests(fake), watches);  // parked: no new watch without time passing
  clock.step(std::chrono::minutes(1));
  EXPECT_TRUE(spinUntil([&] { return watchRequests(fake) == watches + 1; }));
  fake.create(resources::nodes(), "", node("b", "H100", 8, ""));
  EXPECT_TRUE(spinUntil([&] { return informer.get("b") != nullptr; }));
  informer.stop();
}

}  // namespace
}  // namespace landlord::kube
