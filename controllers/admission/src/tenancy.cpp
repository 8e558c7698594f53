// Who owns what, from the caches: namespaces' tenants, pools' holders, tenants' taints.
#include "landlord/controllers/admission/tenancy.h"

#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/placement/lease.h"
#include "pod_json.h"

namespace landlord::controllers {

namespace placement = landlord::placement;
using nlohmann::json;

std::string phaseOf(const api::PoolLease& lease) {
  return lease.status.phase.empty() ? "Pending" : lease.status.phase;
}

std::optional<std::string> tenantOwningNamespace(const kube::Lister<api::Tenant>& tenants,
                                                 const std::string& ns) {
  return otherTenantClaiming(tenants, ns, "");
}

std::optional<std::string> otherTenantClaiming(const kube::Lister<api::Tenant>& tenants,
                                               const std::string& ns, const std::string& except) {
  for (const auto& tenant : sortedEntries(tenants)) {
    const std::string name(tenant->meta.name());
    if (name != except && api::listsNamespace(tenant->value, ns)) {
      return name;
    }
  }
  return std::nullopt;
}

bool isLiveLease(const api::PoolLease& lease, const api::GpuPool* pool) {
  const std::string phase = phaseOf(lease);
  if (phase == "Released" || phase == "Scheduled") {
    return false;  // a Scheduled lease holds nothing until its term starts
  }
  if (phase == "Failed") {
    return pool && holds(*pool, lease);
  }
  return true;
}

std::map<std::string, PoolHolder> poolHolders(const kube::Lister<api::GpuPool>& pools,
                                              const kube::Lister<api::PoolLease>& leases) {
  std::map<std::string, PoolHolder> holders;
  for (const auto& pool : sortedEntries(pools)) {
    const std::optional<Claim> claim = claimOf(pool->value);
    if (!claim) {
      continue;
    }
    const auto lease = leases.get(claim->lease);
    if (!lease || phaseOf(lease->value) == "Released" ||
        (!claim->uid.empty() && lease->value.metadata.uid != claim->uid)) {
      continue;  // a stale claim: the controller replaces it on its next claim
    }
    const std::string name(pool->meta.name());
    holders.emplace(
        name, PoolHolder{name, claim->lease, lease->value.spec.tenant, phaseOf(lease->value)});
  }
  for (const auto& entry : sortedEntries(leases)) {
    const api::PoolLease& lease = entry->value;
    const auto phase = placement::parseLeasePhase(phaseOf(lease));
    if (!phase || !placement::isLive(*phase)) {
      continue;
    }
    const std::string& pool = lease.spec.pool;
    holders.emplace(pool, PoolHolder{pool, lease.metadata.name, lease.spec.tenant, phaseOf(lease)});
  }
  return holders;
}

NodeTaint tenantTaint(const std::string& tenant) {
  return NodeTaint{std::string(api::kTenantTaintKey), tenant, std::string(api::kTenantTaintEffect)};
}

std::string describeTaint(const NodeTaint& taint) {
  return taint.key + "=" + taint.value + ":" + taint.effect;
}

bool tolerates(const json& toleration, const NodeTaint& taint) {
  if (!toleration.is_object()) {
    return false;
  }
  const std::string effect = textAt(toleration, "/effect");
  if (!effect.empty() && effect != taint.effect) {
    return false;
  }
  const std::string key = textAt(toleration, "/key");
  const std::string op = textAt(toleration, "/operator");
  if (key.empty()) {
    return op == "Exists";  // the API server refuses an empty key with Equal
  }
  if (key != taint.key) {
    return false;
  }
  if (op == "Exists") {
    return true;
  }
  return (op == "Equal" || op.empty()) && textAt(toleration, "/value") == taint.value;
}

}  // namespace landlord::controllers
