// The watch cache against a real kube-apiserver that restarts and an etcd
// that compacts: the cache must converge to the server's list.

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <set>

#include "e2e_support.h"
#include "landlord/operator/cache/informer.h"
#include "landlord/operator/client/rest_client.h"

namespace landlord::kube::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Forwards to a real client; while closed, watch() waits, so a test decides
// when the informer reconnects.
class GatedClient final : public Client {
 public:
  explicit GatedClient(Client& inner) : inner_(inner) {}
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  json get(const ResourceRef& r, std::string_view ns, std::string_view n,
           const GetOptions& o) override {
    return inner_.get(r, ns, n, o);
  }
  ObjectList list(const ResourceRef& r, std::string_view ns, const ListOptions& o) override {
    return inner_.list(r, ns, o);
  }
  json create(const ResourceRef& r, std::string_view ns, const json& obj,
              const CreateOptions& o) override {
    return inner_.create(r, ns, obj, o);
  }
  json update(const ResourceRef& r, const json& obj, const UpdateOptions& o) override {
    return inner_.update(r, obj, o);
  }
  json patch(const ResourceRef& r, std::string_view ns, std::string_view n, PatchType t,
             const json& p, const PatchOptions& o) override {
    return inner_.patch(r, ns, n, t, p, o);
  }
  json remove(const ResourceRef& r, std::string_view ns, std::string_view n,
              const DeleteOptions& o) override {
    return inner_.remove(r, ns, n, o);
  }
  std::unique_ptr<WatchStream> watch(const ResourceRef& r, std::string_view ns,
                                     const WatchOptions& o) override {
    {
      std::unique_lock lock(mutex_);
      opened_.wait(lock, [this] { return open_; });
      lastWatchVersion_ = o.resourceVersion;
    }
    return inner_.watch(r, ns, o);
  }
  std::vector<ApiResource> discover(std::string_view gv) override { return inner_.discover(gv); }
  void invalidateDiscovery() override { inner_.invalidateDiscovery(); }
  std::string server() const override { return inner_.server(); }

 private:
  Client& inner_;
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = true;              // guarded by mutex_
  std::string lastWatchVersion_;  // guarded by mutex_
};

struct Data {
  std::string value;
};

Data projectData(const json& cm) {
  return Data{cm.value("data", json::object()).value("v", "")};
}

json configMap(const std::string& name, const std::string& value) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}}},
          {"data", {{"v", value}}}};
}

// name -> data.v, as the server has it (kube-root-ca.crt excluded).
std::map<std::string, std::string> serverState(Client& client, const std::string& ns) {
  std::map<std::string, std::string> state;
  for (const json& item : listAll(client, resources::configMaps(), ns).items) {
    std::string name = item["metadata"]["name"];
    if (name != "kube-root-ca.crt")
      state[name] = projectData(item).value;
  }
  return state;
}

std::map<std::string, std::string> cacheState(const Informer<Data>& informer) {
  std::map<std::string, std::string> state;
  for (const auto& entry : informer.list()) {
    if (entry->meta.name() != "kube-root-ca.crt")
      state[std::string(entry->meta.name())] = entry->value.value;
  }
  return state;
}

ReflectorOptions quickReconnects(const std::string& ns) {
  ReflectorOptions options;
  options.ns = ns;
  options.pageSize = 50;
  options.initialBackoff = 200ms;
  options.maxBackoff = 2s;
  return options;
}

TEST(OperatorE2EInformer, SurvivesKubeApiserverRestartWithoutLosingEvents) {
  auto client = adminClient();
  TestNamespace ns(*client, "restart");
  for (int i = 0; i < 120; ++i)
    client->create(resources::configMaps(), ns.name(), configMap("cm-" + std::to_string(i), "0"));

  Informer<Data> informer(*client, resources::configMaps(), projectData, {},
                          quickReconnects(ns.name()));
  informer.start();
  ASSERT_TRUE(informer.waitForSync(60s));
  EXPECT_EQ(cacheState(informer), serverState(*client, ns.name()));

  restartComponent("kube-apiserver");
  // Changes right after the restart, while the informer reconnects.
  for (int i = 0; i < 40; ++i)
    client->remove(resources::configMaps(), ns.name(), "cm-" + std::to_string(i));
  for (int i = 40; i < 80; ++i) {
    client->patch(resources::configMaps(), ns.name(), "cm-" + std::to_string(i), PatchType::Merge,
                  {{"data", {{"v", "1"}}}});
  }
  for (int i = 120; i < 150; ++i)
    client->create(resources::configMaps(), ns.name(), configMap("cm-" + std::to_string(i), "2"));

  auto expected = serverState(*client, ns.name());
  EXPECT_TRUE(eventually([&] { return cacheState(informer) == expected; }, 60s))
      << "cache holds " << cacheState(informer).size() << " objects, server " << expected.size();
  informer.stop();
}

TEST(OperatorE2EInformer, RelistsAfterEtcdCompactionAndConverges) {
  auto admin = adminClient();
  TestNamespace ns(*admin, "compact");
  for (int i = 0; i < 60; ++i)
    admin->create(resources::configMaps(), ns.name(), configMap("cm-" + std::to_string(i), "0"));
  GatedClient gated(*admin);
  Informer<Data> informer(gated, resources::configMaps(), projectData, {},
                          quickReconnects(ns.name()));
  struct OpenOnExit {
    GatedClient& gate;
    Informer<Data>& informer;
    ~OpenOnExit() {
      gate.open();
      informer.stop();
    }
  } openOnExit{gated, informer};
  informer.start();
  ASSERT_TRUE(informer.waitForSync(60s));
  ASSERT_EQ(informer.reflector().listCount(), 1);
  std::string versionBefore = informer.reflector().lastResourceVersion();

  // Disconnect the informer (its watch breaks with the restart and cannot
  // reconnect through the closed gate), change things it does not see, and
  // compact them away in etcd.
  gated.close();
  restartComponent("kube-apiserver");
  for (int i = 0; i < 20; ++i)
    admin->remove(resources::configMaps(), ns.name(), "cm-" + std::to_string(i));
  for (int i = 20; i < 40; ++i) {
    admin->patch(resources::configMaps(), ns.name(), "cm-" + std::to_string(i), PatchType::Merge,
                 {{"data", {{"v", "1"}}}});
  }
  for (int i = 60; i < 80; ++i)
    admin->create(resources::configMaps(), ns.name(), configMap("cm-" + std::to_string(i), "2"));
  compactEtcd();
  // Restart again so the API server's watch cache begins after the changes:
  // the informer's version is now older than anything the server can serve.
  restartComponent("kube-apiserver");

  // The old version is gone for any watcher.
  WatchOptions old;
  old.resourceVersion = versionBefore;
  old.timeoutSeconds = 10;
  EXPECT_THROW(
      {
        auto stream = admin->watch(resources::configMaps(), ns.name(), old);
        while (stream->next()) {
        }
      },
      GoneError);

  gated.open();
  auto expected = serverState(*admin, ns.name());
  EXPECT_TRUE(eventually([&] { return cacheState(informer) == expected; }, 60s))
      << "cache holds " << cacheState(informer).size() << " objects, server " << expected.size();
  EXPECT_GE(informer.reflector().listCount(), 2) << "expected a re-list after 410";
  informer.stop();
}

}  // namespace
}  // namespace landlord::kube::e2e
