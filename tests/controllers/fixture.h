#pragma once

// A FakeClient-backed world for reconciler tests: informer caches (and the pool
// index they feed) filled by hand from the fake before each reconcile, as a
// re-list would (no threads, no sleeps), a fixed wall clock, and helpers that
// build nodes, pods and landlord objects.

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/resources.h"
#include "landlord/api/v1alpha1/tenant.h"
#include "landlord/controllers/dependencies.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/controllers/metrics.h"
#include "landlord/controllers/nodes/pool_index.h"
#include "landlord/operator/base/logging.h"
#include "landlord/operator/cache/informer.h"
#include "landlord/operator/controller/reconciler.h"
#include "landlord/placement/catalog.h"
#include "landlord/testing/fake_client.h"

namespace landlord::controllers::testing {

using kube::FakeClient;
using nlohmann::json;

// The condition of `type` in a status as the server holds it, read through the
// typed API (every kind's conditions decode alike).
inline std::optional<api::Condition> findCondition(const json& status, std::string_view type) {
  return api::findCondition(api::decode<api::Tenant>({{"status", status}}).status.conditions, type);
}

// The claim in a GPUPool as the server holds it.
inline std::optional<Claim> claimOf(const json& pool) {
  return controllers::claimOf(api::decode<api::GpuPool>(pool));
}

inline json node(const std::string& name, const std::string& zone, const std::string& product,
                 int gpus) {
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata",
           {{"name", name},
            {"labels",
             {{"topology.kubernetes.io/zone", zone},
              {"nvidia.com/gpu.product", product},
              {"nvidia.com/gpu.count", std::to_string(gpus)}}}}},
          {"spec", json::object()},
          {"status",
           {{"capacity", {{"nvidia.com/gpu", std::to_string(gpus)}}},
            {"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
}

inline json pod(const std::string& ns, const std::string& name, const std::string& nodeName) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec", {{"nodeName", nodeName}}},
          {"status", {{"phase", "Running"}}}};
}

inline json pool(const std::string& name, const std::string& zone) {
  return {{"apiVersion", "landlord.dev/v1alpha1"},
          {"kind", "GPUPool"},
          {"metadata", {{"name", name}}},
          {"spec", {{"nodeSelector", {{"matchLabels", {{"topology.kubernetes.io/zone", zone}}}}}}}};
}

inline json tenant(const std::string& name, const std::vector<std::string>& namespaces,
                   const std::vector<std::string>& architectures = {"hopper", "blackwell"}) {
  return {{"apiVersion", "landlord.dev/v1alpha1"},
          {"kind", "Tenant"},
          {"metadata", {{"name", name}}},
          {"spec", {{"namespaces", namespaces}, {"qualifiedArchitectures", architectures}}}};
}

inline json lease(const std::string& name, const std::string& poolName,
                  const std::string& tenantName, const std::string& purpose = "inference",
                  const std::string& supersedes = "") {
  json object = {{"apiVersion", "landlord.dev/v1alpha1"},
                 {"kind", "PoolLease"},
                 {"metadata", {{"name", name}, {"creationTimestamp", "2026-01-01T00:00:00Z"}}},
                 {"spec", {{"pool", poolName}, {"tenant", tenantName}, {"purpose", purpose}}}};
  if (!supersedes.empty()) {
    object["spec"]["supersedes"] = supersedes;
  }
  return object;
}

class World : public ::testing::Test {
 protected:
  World()
      : nodes_(fake_, kube::resources::nodes(), projectNode),
        pods_(fake_, kube::resources::pods(), projectPod, {{kPodNodeIndex, podNodeIndexer()}}),
        pools_(fake_, api::gpuPools(), api::decode<api::GpuPool>),
        leases_(fake_, api::poolLeases(), api::decode<api::PoolLease>),
        tenants_(fake_, api::tenants(), api::decode<api::Tenant>),
        catalog_(placement::Catalog::defaults()),
        poolIndex_(catalog_),
        logger_(kube::makeSpdlogLogger("test", kube::LogFormat::text, spdlog::level::off)) {
    feedPoolIndex(poolIndex_, nodes_, pools_);
  }

  Dependencies deps() {
    return Dependencies{.client = fake_,
                        .nodes = nodes_,
                        .pods = pods_,
                        .pools = pools_,
                        .leases = leases_,
                        .tenants = tenants_,
                        .poolIndex = poolIndex_,
                        .catalog = catalog_,
                        .exemptions = exemptions_,
                        .evictionBlocks = evictionBlocks_,
                        .ownershipLedger = ownershipLedger_,
                        .events = nullptr,
                        .metrics = nullptr,
                        .now = [this] { return now_; }};
  }

  // deps() with the domain metrics on registry_, read back by scrape().
  Dependencies depsWithMetrics() {
    Dependencies withMetrics = deps();
    withMetrics.metrics = &metrics_;
    return withMetrics;
  }
  std::string scrape() const { return kube::metrics::exposition(registry_); }

  // Feeds the caches what the fake server holds now, as a re-list would.
  void sync() {
    relist(nodes_, kube::resources::nodes());
    relist(pods_, kube::resources::pods());
    relist(pools_, api::gpuPools());
    relist(leases_, api::poolLeases());
    relist(tenants_, api::tenants());
  }

  kube::Result reconcile(kube::Reconciler& reconciler, const std::string& ns,
                         const std::string& name) {
    sync();
    kube::ReconcileContext context{logger_, std::stop_token{}};
    return reconciler.reconcile(context, kube::Request{ns, name});
  }

  json get(const kube::GroupVersionResource& resource, const std::string& ns,
           const std::string& name) {
    return fake_.get(resource, ns, name);
  }

  void add(const kube::GroupVersionResource& resource, const json& object,
           const std::string& ns = "") {
    fake_.create(resource, ns, object);
  }

  std::size_t countRequests(const std::string& prefix) const {
    std::size_t n = 0;
    for (const std::string& r : fake_.requests()) {
      n += r.starts_with(prefix) ? 1 : 0;
    }
    return n;
  }

  template <class T>
  void relist(kube::Informer<T>& informer, const kube::GroupVersionResource& resource) {
    informer.beginReplace();
    for (const json& object : fake_.objects(resource)) {
      informer.replaceItem(object);
    }
    informer.endReplace("");
  }

  FakeClient fake_;
  kube::Informer<NodeInfo> nodes_;
  kube::Informer<PodInfo> pods_;
  kube::Informer<api::GpuPool> pools_;
  kube::Informer<api::PoolLease> leases_;
  kube::Informer<api::Tenant> tenants_;
  placement::Catalog catalog_;
  PoolIndex poolIndex_;
  OwnershipExemptions exemptions_;
  EvictionBlocks evictionBlocks_;
  OwnershipLedger ownershipLedger_;
  kube::Logger logger_;
  kube::metrics::Registry registry_;
  DomainMetrics metrics_{registry_};
  std::chrono::system_clock::time_point now_ =
      std::chrono::system_clock::from_time_t(1'767'225'600);  // 2026-01-01T00:00:00Z
};

}  // namespace landlord::controllers::testing
