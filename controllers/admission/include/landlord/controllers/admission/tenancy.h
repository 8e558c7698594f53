#pragma once

// Who owns what, read from informer caches (never the API server) so that admission
// answers fast under load: the Tenant owning a namespace, the lease holding a pool,
// and the taint that keeps other tenants off a leased node.

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/tenant.h"
#include "landlord/controllers/projections/node.h"
#include "landlord/operator/cache/informer.h"

namespace landlord::controllers {

// The cached entries of a lister, sorted by key, so that every answer built from
// them (and every message) is the same whatever the cache's hash order. Shared, not
// copied: a pod admission reads every lease and pool.
template <class T>
std::vector<typename kube::Lister<T>::Ptr> sortedEntries(const kube::Lister<T>& lister) {
  std::vector<typename kube::Lister<T>::Ptr> entries = lister.list();
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a->meta.key() < b->meta.key(); });
  return entries;
}

// The Tenant listing `ns` in spec.namespaces. Should several (claims made while
// the webhook was down), the first by name.
std::optional<std::string> tenantOwningNamespace(const kube::Lister<api::Tenant>& tenants,
                                                 const std::string& ns);

// A Tenant other than `except` listing `ns` in spec.namespaces, first by name.
std::optional<std::string> otherTenantClaiming(const kube::Lister<api::Tenant>& tenants,
                                               const std::string& ns, const std::string& except);

// "Pending" for a lease without a phase yet, else its phase.
std::string phaseOf(const api::PoolLease& lease);

// Whether `lease` counts against its pool's exclusivity: any phase but Released,
// Scheduled (its term has not started) and Failed, and also Failed while it still holds the pool's
// claim (a drain that timed out keeps its nodes until it is Released). `pool` may be null.
bool isLiveLease(const api::PoolLease& lease, const api::GpuPool* pool);

// The lease holding a pool now.
struct PoolHolder {
  std::string pool;
  std::string lease;
  std::string tenant;
  std::string phase;  // "Pending" when the lease has no status yet
};

// By pool name, every pool some lease holds: the claim in the pool's status when its
// lease is still cached and not Released (the claim is written before the lease's
// phase moves, so it is the freshest word), else a lease on it that is
// Provisioning, Active or Releasing.
std::map<std::string, PoolHolder> poolHolders(const kube::Lister<api::GpuPool>& pools,
                                              const kube::Lister<api::PoolLease>& leases);

// landlord.dev/tenant=<tenant>:NoSchedule, exactly as the PoolLease controller
// taints the nodes of a leased pool.
NodeTaint tenantTaint(const std::string& tenant);

// "landlord.dev/tenant=beta:NoSchedule".
std::string describeTaint(const NodeTaint& taint);

// Kubernetes' rule for whether a pod toleration (JSON, core/v1 Toleration)
// tolerates `taint`: the effect matches when empty or equal, the key when empty
// with operator Exists or equal, the value when the operator is Exists or the
// values are equal (operator Equal, the default).
bool tolerates(const nlohmann::json& toleration, const NodeTaint& taint);

}  // namespace landlord::controllers
