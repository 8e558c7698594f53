#include "landlord/controllers/admission/tenancy.h"

#include <algorithm>

#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/placement/labels.h"
#include "landlord/placement/lease.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

namespace {

const json::json_pointer kName("/metadata/name");
const json::json_pointer kUid("/metadata/uid");
const json::json_pointer kNamespaces("/spec/namespaces");
const json::json_pointer kPool("/spec/pool");
const json::json_pointer kTenant("/spec/tenant");
const json::json_pointer kPhase("/status/phase");

std::string phaseOf(const json& lease) {
  const std::string phase = stringAt(lease, kPhase);
  return phase.empty() ? "Pending" : phase;
}

}  // namespace

bool listsNamespace(const json& tenant, const std::string& ns) {
  const json namespaces = tenant.value(kNamespaces, json::array());
  return namespaces.is_array() &&
         std::find(namespaces.begin(), namespaces.end(), ns) != namespaces.end();
}

std::vector<JsonLister::Ptr> sortedEntries(const JsonLister& lister) {
  std::vector<JsonLister::Ptr> entries = lister.list();
  std::sort(entries.begin(), entries.end(), [](const JsonLister::Ptr& a, const JsonLister::Ptr& b) {
    return a->meta.key() < b->meta.key();
  });
  return entries;
}

std::optional<std::string> tenantOwningNamespace(const JsonLister& tenants, const std::string& ns) {
  return otherTenantClaiming(tenants, ns, "");
}

std::optional<std::string> otherTenantClaiming(const JsonLister& tenants, const std::string& ns,
                                               const std::string& except) {
  for (const JsonLister::Ptr& tenant : sortedEntries(tenants)) {
    const std::string& name = tenant->meta.name;
    if (name != except && listsNamespace(tenant->value, ns)) {
      return name;
    }
  }
  return std::nullopt;
}

bool isLiveLease(const json& lease, const json& pool) {
  const std::string phase = phaseOf(lease);
  if (phase == "Released") {
    return false;
  }
  if (phase == "Failed") {
    return pool.is_object() && holds(pool, lease);
  }
  return true;
}

std::map<std::string, PoolHolder> poolHolders(const JsonLister& pools, const JsonLister& leases) {
  std::map<std::string, PoolHolder> holders;
  for (const JsonLister::Ptr& pool : sortedEntries(pools)) {
    const std::optional<Claim> claim = claimOf(pool->value);
    if (!claim) {
      continue;
    }
    const JsonLister::Ptr lease = leases.get(claim->lease);
    if (!lease || phaseOf(lease->value) == "Released" ||
        (!claim->uid.empty() && stringAt(lease->value, kUid) != claim->uid)) {
      continue;  // a stale claim: the controller replaces it on its next claim
    }
    const std::string& name = pool->meta.name;
    holders.emplace(name, PoolHolder{name, claim->lease, stringAt(lease->value, kTenant),
                                     phaseOf(lease->value)});
  }
  for (const JsonLister::Ptr& entry : sortedEntries(leases)) {
    const json& lease = entry->value;
    const auto phase = placement::parseLeasePhase(phaseOf(lease));
    if (!phase || !placement::isLive(*phase)) {
      continue;
    }
    const std::string pool = stringAt(lease, kPool);
    holders.emplace(
        pool, PoolHolder{pool, stringAt(lease, kName), stringAt(lease, kTenant), phaseOf(lease)});
  }
  return holders;
}

NodeTaint tenantTaint(const std::string& tenant) {
  return NodeTaint{std::string(placement::kTenantTaintKey), tenant,
                   std::string(placement::kTenantTaintEffect)};
}

std::string describeTaint(const NodeTaint& taint) {
  return taint.key + "=" + taint.value + ":" + taint.effect;
}

bool tolerates(const json& toleration, const NodeTaint& taint) {
  if (!toleration.is_object()) {
    return false;
  }
  const std::string effect = stringAt(toleration, json::json_pointer("/effect"));
  if (!effect.empty() && effect != taint.effect) {
    return false;
  }
  const std::string key = stringAt(toleration, json::json_pointer("/key"));
  const std::string op = stringAt(toleration, json::json_pointer("/operator"));
  if (key.empty()) {
    return op == "Exists";  // the API server refuses an empty key with Equal
  }
  if (key != taint.key) {
    return false;
  }
  if (op == "Exists") {
    return true;
  }
  return (op == "Equal" || op.empty()) &&
         stringAt(toleration, json::json_pointer("/value")) == taint.value;
}

}  // namespace landlord::controllers
