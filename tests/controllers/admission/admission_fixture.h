#pragma once

// A world for the admission policies: in-memory caches behind the same Lister
// interface the informers implement, filled with two tenants each holding a pool,
// a free pool, their nodes and placements; and builders for AdmissionRequests.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/admission/admission_policies.h"
#include "landlord/operator/cache/store.h"

namespace landlord::controllers::testing {

using nlohmann::json;

// A Lister over a Store filled by hand: what an informer serves, without a server.
template <class T>
class CacheOf final : public kube::Lister<T> {
 public:
  using Ptr = typename kube::Lister<T>::Ptr;
  explicit CacheOf(kube::Projection<T> projection) : store_(std::move(projection), {}) {}
  void put(const json& object) { store_.upsert(store_.makeEntry(object)); }
  void remove(const std::string& key) { store_.erase(key); }
  Ptr get(const std::string& key) const override { return store_.get(key); }
  std::vector<Ptr> list() const override { return store_.list(); }
  std::vector<Ptr> byIndex(const std::string& index, const std::string& value) const override {
    return store_.byIndex(index, value);
  }

 private:
  kube::Store<T> store_;
};

inline const std::string kPoolLabelKey(api::kPoolLabel);
inline const std::string kTenantKey(api::kTenantTaintKey);
inline const std::string kPlacementLabelKey(api::kPlacementLabel);

class AdmissionWorld : public ::testing::Test {
 protected:
  // alpha owns namespaces acme and acme-dev and leases colossus-2; beta owns beta-ns
  // and leases colossus-1; spare is leased by nobody.
  AdmissionWorld() {
    tenants_.put(tenantObject("alpha", {"acme", "acme-dev"}));
    tenants_.put(tenantObject("beta", {"beta-ns"}));
    putPool("colossus-1", "beta-colossus-1", "beta");
    putPool("colossus-2", "alpha-colossus-2", "alpha");
    putPool("spare", "", "");
    leases_.put(leaseObject("beta-colossus-1", "colossus-1", "beta", "Active"));
    leases_.put(leaseObject("alpha-colossus-2", "colossus-2", "alpha", "Active"));
    nodes_.put(nodeObject("c1-n1", "colossus-1", "beta"));
    nodes_.put(nodeObject("c2-n1", "colossus-2", "alpha"));
    nodes_.put(nodeObject("spare-n1", "spare", ""));
    nodes_.put(nodeObject("cpu-n1", "", ""));
  }

  AdmissionCaches caches() const {
    return {nodes_, pools_, tenants_, leases_, placements_, server_};
  }

  static json tenantObject(const std::string& name, const std::vector<std::string>& namespaces) {
    return {{"apiVersion", "landlord.dev/v1alpha1"},
            {"kind", "Tenant"},
            {"metadata", {{"name", name}}},
            {"spec", {{"namespaces", namespaces}, {"qualifiedArchitectures", {"hopper"}}}}};
  }

  static json leaseObject(const std::string& name, const std::string& pool,
                          const std::string& tenant, const std::string& phase,
                          const std::string& supersedes = "") {
    json lease = {{"apiVersion", "landlord.dev/v1alpha1"},
                  {"kind", "PoolLease"},
                  {"metadata", {{"name", name}, {"uid", "uid-" + name}}},
                  {"spec", {{"pool", pool}, {"tenant", tenant}, {"purpose", "any"}}}};
    if (!phase.empty()) {
      lease["status"] = {{"phase", phase}};
    }
    if (!supersedes.empty()) {
      lease["spec"]["supersedes"] = supersedes;
    }
    return lease;
  }

  // A GPUPool whose status claim names `lease` (none when empty).
  void putPool(const std::string& name, const std::string& lease, const std::string& tenant) {
    json pool = {{"apiVersion", "landlord.dev/v1alpha1"},
                 {"kind", "GPUPool"},
                 {"metadata", {{"name", name}}},
                 {"spec", {{"nodeSelector", {{"matchLabels", {{"zone", name}}}}}}},
                 {"status", {{"phase", lease.empty() ? "Available" : "Leased"}}}};
    if (!lease.empty()) {
      pool["status"]["lease"] = {
          {"name", lease}, {"uid", "uid-" + lease}, {"tenant", tenant}, {"claimGeneration", 1}};
    }
    pools_.put(pool);
  }

  static json nodeObject(const std::string& name, const std::string& pool,
                         const std::string& tenant) {
    json node = {{"apiVersion", "v1"},
                 {"kind", "Node"},
                 {"metadata", {{"name", name}, {"labels", json::object()}}},
                 {"spec", json::object()}};
    if (!pool.empty()) {
      node["metadata"]["labels"][kPoolLabelKey] = pool;
    }
    if (!tenant.empty()) {
      node["metadata"]["labels"][kTenantKey] = tenant;
      node["spec"]["taints"] =
          json::array({{{"key", kTenantKey}, {"value", tenant}, {"effect", "NoSchedule"}}});
    }
    return node;
  }

  // A Placement of tenant alpha in `ns`, Bound to pools (each with the lease it was
  // bound through).
  void putBoundPlacement(const std::string& ns, const std::string& name,
                         const std::vector<std::pair<std::string, std::string>>& poolsAndLeases) {
    json pools = json::array();
    for (const auto& [pool, lease] : poolsAndLeases) {
      pools.push_back({{"name", pool}, {"lease", lease}, {"gpus", 8}, {"models", {"H100"}}});
    }
    placements_.put({{"apiVersion", "landlord.dev/v1alpha1"},
                     {"kind", "Placement"},
                     {"metadata", {{"name", name}, {"namespace", ns}}},
                     {"spec", {{"workloadType", "inference"}, {"gpus", 8}}},
                     {"status", {{"phase", "Bound"}, {"tenant", "alpha"}, {"pools", pools}}}});
  }

  // A Placement in `phase`, with a Placed condition saying why when `reason` is set.
  void putUnboundPlacement(const std::string& ns, const std::string& name, const std::string& phase,
                           const std::string& reason, const std::string& message) {
    json status = {{"phase", phase}};
    if (!reason.empty()) {
      status["conditions"] = json::array({{{"type", "Placed"},
                                           {"status", "False"},
                                           {"reason", reason},
                                           {"message", message},
                                           {"lastTransitionTime", "2026-01-01T00:00:00Z"}}});
    }
    placements_.put({{"apiVersion", "landlord.dev/v1alpha1"},
                     {"kind", "Placement"},
                     {"metadata", {{"name", name}, {"namespace", ns}}},
                     {"spec", {{"workloadType", "inference"}, {"gpus", 8}}},
                     {"status", status}});
  }

  static json podObject(const std::string& ns, const std::string& name,
                        const json& labels = json::object()) {
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"namespace", ns}, {"labels", labels}}},
            {"spec", {{"containers", json::array({{{"name", "app"}, {"image", "app:1"}}})}}}};
  }

  static kube::AdmissionRequest podCreate(const json& pod) {
    kube::AdmissionRequest request;
    request.uid = "review-1";
    request.kind = {"", "v1", "Pod"};
    request.resource = {"", "v1", "pods"};
    request.name = pod.value(json::json_pointer("/metadata/name"), "");
    request.namespace_ = pod.value(json::json_pointer("/metadata/namespace"), "");
    request.operation = "CREATE";
    request.object = pod;
    return request;
  }

  // A request for one of landlord's kinds; `object` null for DELETE.
  static kube::AdmissionRequest landlordRequest(const std::string& operation,
                                                const std::string& kind, const json& object,
                                                const json& oldObject = nullptr) {
    const json named = object.is_object()      ? object
                       : oldObject.is_object() ? oldObject
                                               : json::object();
    kube::AdmissionRequest request;
    request.uid = "review-2";
    request.kind = {"landlord.dev", "v1alpha1", kind};
    request.resource = {"landlord.dev", "v1alpha1", ""};
    request.name = named.value(json::json_pointer("/metadata/name"), "");
    request.namespace_ = named.value(json::json_pointer("/metadata/namespace"), "");
    request.operation = operation;
    request.object = object;
    request.oldObject = oldObject;
    return request;
  }

  CacheOf<NodeInfo> nodes_{projectNode};
  CacheOf<api::GpuPool> pools_{api::decode<api::GpuPool>};
  CacheOf<api::Tenant> tenants_{api::decode<api::Tenant>};
  CacheOf<api::PoolLease> leases_{api::decode<api::PoolLease>};
  CacheOf<api::Placement> placements_{api::decode<api::Placement>};
  // The API server the policies ask on a cache miss; none unless a test sets one.
  kube::Client* server_ = nullptr;
};

}  // namespace landlord::controllers::testing
