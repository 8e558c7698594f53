// /validate-v1-pod: DESIGN.md rule 5, isolation. Taints keep the scheduler off other
// tenants' leased nodes; this rejects the pods that would get past them anyway.

#include <algorithm>
#include <map>
#include <set>

#include "admission_request.h"
#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/admission/admission_policies.h"
#include "pod_json.h"
#include "pod_scheduling_change.h"

namespace landlord::controllers {

using admission::inQuotes;
using nlohmann::json;

namespace {

// api::kHoldTaintKey: the NoSchedule taint landlord holds a node with while it
// changes hands; only landlord's own pods (in its release namespace, which the
// webhook never sees) and node agents may tolerate it.
using api::kHoldTaintKey;

// The pod under review and whose it is.
struct Subject {
  const json& pod;
  std::string description;            // pod "x" in namespace "acme"
  std::optional<std::string> tenant;  // owning its namespace
  const std::map<std::string, PoolHolder>& holders;

  // Held by a lease of a tenant other than the pod's (every lease, for a pod of no tenant).
  const PoolHolder* foreignHolder(const std::string& pool) const {
    auto holder = holders.find(pool);
    if (holder == holders.end() || (tenant && holder->second.tenant == *tenant)) {
      return nullptr;
    }
    return &holder->second;
  }

  // What the pod may do instead, for the end of a message.
  std::string onlyOwn(const std::string& what) const {
    if (!tenant) {
      return "its namespace belongs to no Tenant, so it may " + what +
             " no leased pool; add the namespace to a Tenant's spec.namespaces";
    }
    return "a pod of tenant " + inQuotes(*tenant) + " may " + what +
           " only pools its tenant leases";
  }
};

std::string leaseOf(const PoolHolder& holder) {
  return "lease " + inQuotes(holder.lease) + " on pool " + inQuotes(holder.pool);
}

// `(lease "b-1" on pool "colossus-1", lease ...)` of `tenant`, or that it holds none.
std::string leasesOfTenant(const Subject& subject, const std::string& tenant) {
  std::string leases;
  for (const auto& [_, holder] : subject.holders) {
    if (holder.tenant == tenant) {
      leases += (leases.empty() ? "" : ", ") + leaseOf(holder);
    }
  }
  return leases.empty() ? "which holds no pool now" : leases;
}

// Every lease not of the pod's tenant, for a toleration that passes them all.
std::string foreignLeases(const Subject& subject) {
  std::string leases;
  for (const auto& [pool, holder] : subject.holders) {
    if (subject.foreignHolder(pool)) {
      leases +=
          (leases.empty() ? "" : ", ") + leaseOf(holder) + " of tenant " + inQuotes(holder.tenant);
    }
  }
  return leases.empty() ? "none is leased now, but any may be" : leases;
}

// Node agents (GPU device plugin, feature discovery, exporters) run as DaemonSets in
// namespaces of no tenant and must tolerate every node's taints.
bool isNodeAgent(const json& pod) {
  for (const json& owner :
       pod.value(json::json_pointer("/metadata/ownerReferences"), json::array())) {
    if (textAt(owner, "/kind") == "DaemonSet" && owner.value("controller", false)) {
      return true;
    }
  }
  return false;
}

// Rule: no pod tolerates the hold taint by its key, whatever the operator, value
// or effect: it has no use for it but to wait out a handover on the node. (The
// empty key with Exists tolerates it too, and is refused as tolerating every
// tenant's taint.)
bool checkHoldToleration(const Subject& subject, const json& toleration,
                         std::vector<std::string>& violations) {
  if (textAt(toleration, "/key") != kHoldTaintKey) {
    return false;
  }
  const std::string op = textAt(toleration, "/operator");
  const std::string value = textAt(toleration, "/value");
  const std::string effect = textAt(toleration, "/effect");
  const std::string how =
      op == "Exists" ? " with operator Exists"
                     : (value.empty() ? "" : "=" + value) + (effect.empty() ? "" : ":" + effect);
  violations.push_back(subject.description + " tolerates the taint " + std::string(kHoldTaintKey) +
                       how +
                       " (spec.tolerations), which landlord puts on a node while it changes "
                       "hands between tenants; only landlord's own pods may tolerate it");
  return true;
}

// Rule: a pod tolerates no taint of another tenant. Operator Exists on the tenant
// key, and the empty key with Exists, tolerate every tenant's taint and are foreign
// too, even for a pod's own tenant: it may tolerate its own taint by value only.
void checkTolerations(const Subject& subject, std::vector<std::string>& violations) {
  if (!subject.tenant && isNodeAgent(subject.pod)) {
    return;
  }
  for (const json& toleration :
       subject.pod.value(json::json_pointer("/spec/tolerations"), json::array())) {
    if (checkHoldToleration(subject, toleration, violations)) {
      continue;
    }
    const std::string value = textAt(toleration, "/value");
    if (!tolerates(toleration, tenantTaint(value))) {
      continue;  // neither the tenant key nor every key, or an effect other than NoSchedule
    }
    const std::string own =
        subject.tenant ? "tolerate only " + describeTaint(tenantTaint(*subject.tenant))
                       : "a pod of no tenant may tolerate no landlord.dev/tenant taint; add "
                         "its namespace to a Tenant's spec.namespaces";
    if (textAt(toleration, "/operator") == "Exists") {
      const bool everyKey = textAt(toleration, "/key").empty();
      violations.push_back(
          subject.description + " tolerates " +
          (everyKey ? "every taint (a toleration with operator Exists and no key)"
                    : "every tenant's taint (" + std::string(api::kTenantTaintKey) +
                          " with operator Exists)") +
          ", so it could run on any tenant's leased pool (" + foreignLeases(subject) + "); " + own);
      continue;
    }
    if (subject.tenant && value == *subject.tenant) {
      continue;
    }
    violations.push_back(subject.description + " tolerates the taint " +
                         describeTaint(tenantTaint(value)) + " of tenant " + inQuotes(value) +
                         " (" + leasesOfTenant(subject, value) + "); only pods of tenant " + value +
                         "'s namespaces may");
  }
}

// Rule: spec.nodeName skips the scheduler and so the taint; the node's pool decides,
// or, on a node no lease's pool holds, its tenant taint.
void checkNodeName(const Subject& subject, const kube::Lister<NodeInfo>& nodes,
                   std::vector<std::string>& violations) {
  const std::string nodeName = textAt(subject.pod, "/spec/nodeName");
  const kube::Lister<NodeInfo>::Ptr node = nodeName.empty() ? nullptr : nodes.get(nodeName);
  if (!node) {
    return;
  }
  const std::string pool(node->value.labels.get(api::kPoolLabel).value_or(""));
  std::string holderTenant;
  std::string where;
  if (!pool.empty() && subject.holders.contains(pool)) {
    const PoolHolder* holder = subject.foreignHolder(pool);
    if (!holder) {
      return;
    }
    holderTenant = holder->tenant;
    where = " of pool " + inQuotes(pool) + ", leased to tenant " + inQuotes(holder->tenant) +
            " (lease " + inQuotes(holder->lease) + ")";
  } else if (const auto tainted = node->value.tenantTaint();
             tainted && (!subject.tenant || *tainted != *subject.tenant)) {
    holderTenant = *tainted;
    where = ", tainted " + describeTaint(tenantTaint(holderTenant)) + " for tenant " +
            inQuotes(holderTenant);
  } else {
    return;
  }
  violations.push_back(subject.description + " sets spec.nodeName to node " + inQuotes(nodeName) +
                       where + "; only pods of tenant " + holderTenant +
                       "'s namespaces may run there");
}

// Rule: spec.nodeSelector landlord.dev/pool naming another tenant's pool.
void checkNodeSelector(const Subject& subject, std::vector<std::string>& violations) {
  const std::string pool =
      textAt(subject.pod, json::json_pointer("/spec/nodeSelector") / std::string(api::kPoolLabel));
  const PoolHolder* holder = pool.empty() ? nullptr : subject.foreignHolder(pool);
  if (!holder) {
    return;
  }
  violations.push_back(subject.description + " selects pool " + inQuotes(pool) +
                       " (spec.nodeSelector " + std::string(api::kPoolLabel) +
                       "), leased to tenant " + inQuotes(holder->tenant) + " (lease " +
                       inQuotes(holder->lease) + "); " + subject.onlyOwn("select"));
}

// The pools one required term confines a pod to: the intersection of its
// landlord.dev/pool In requirements, or nothing when it has none (not confined).
std::optional<std::set<std::string>> poolsOfTerm(const json& term) {
  std::optional<std::set<std::string>> pools;
  for (const json& requirement : term.value("matchExpressions", json::array())) {
    if (textAt(requirement, "/key") != api::kPoolLabel ||
        textAt(requirement, "/operator") != "In") {
      continue;
    }
    std::set<std::string> values;
    for (const json& value : requirement.value("values", json::array())) {
      if (value.is_string() && (!pools || pools->contains(value.get<std::string>()))) {
        values.insert(value.get<std::string>());
      }
    }
    pools = std::move(values);
  }
  return pools;
}

// Rule: required node affinity whose every term allows only other tenants' pools
// (terms are ORed: one term reaching a pool of the pod's own, a free pool or any
// node outside landlord's pools lets the scheduler decide, and taints hold there).
void checkNodeAffinity(const Subject& subject, std::vector<std::string>& violations) {
  if (!subject.pod.contains(kNodeSelectorTerms) || !subject.pod[kNodeSelectorTerms].is_array()) {
    return;
  }
  std::set<std::string> foreignPools;
  for (const json& term : subject.pod[kNodeSelectorTerms]) {
    const std::optional<std::set<std::string>> pools =
        term.is_object() ? poolsOfTerm(term) : std::nullopt;
    if (!pools) {
      return;
    }
    for (const std::string& pool : *pools) {
      if (!subject.foreignHolder(pool)) {
        return;
      }
      foreignPools.insert(pool);
    }
  }
  if (foreignPools.empty()) {
    return;  // every term matches nothing: unschedulable, but not onto anyone's pool
  }
  std::string leased;
  for (const std::string& pool : foreignPools) {
    const PoolHolder& holder = *subject.foreignHolder(pool);
    leased += (leased.empty() ? "" : ", ") + inQuotes(pool) + " to tenant " +
              inQuotes(holder.tenant) + " (lease " + inQuotes(holder.lease) + ")";
  }
  violations.push_back(subject.description + " requires node affinity " +
                       std::string(api::kPoolLabel) +
                       " In pools that are all leased to other tenants: " + leased + "; " +
                       subject.onlyOwn("select"));
}

std::string joined(const std::vector<std::string>& violations) {
  std::string message;
  for (const std::string& violation : violations) {
    message += (message.empty() ? "" : "; also, ") + violation;
  }
  return message;
}

}  // namespace

kube::AdmissionResponse validatePod(const AdmissionCaches& caches,
                                    const kube::AdmissionRequest& request) {
  const bool update = admission::isPodUpdate(request);
  if (!admission::isPodCreate(request) && !update) {
    return kube::AdmissionResponse::allow();
  }
  if (!request.object.is_object()) {
    return admission::malformedObject(request);
  }
  if (update && !request.oldObject.is_object()) {
    return admission::malformedOldObject(request);
  }
  // An UPDATE is judged on the scheduling fields it changes only: a pod admitted
  // before a lease made its pool foreign (or before these rules) may still have
  // its labels, annotations or other fields updated; what it adds is held to the
  // CREATE rules, with the same messages.
  const json judged =
      update ? admission::changedScheduling(request.oldObject, request.object) : json();
  const std::map<std::string, PoolHolder> holders = poolHolders(caches.pools, caches.leases);
  const Subject subject{update ? judged : request.object, admission::describePod(request),
                        tenantOwningNamespace(caches.tenants, admission::namespaceOf(request)),
                        holders};
  std::vector<std::string> violations;
  checkTolerations(subject, violations);
  checkNodeName(subject, caches.nodes, violations);
  checkNodeSelector(subject, violations);
  checkNodeAffinity(subject, violations);
  if (violations.empty()) {
    return kube::AdmissionResponse::allow();
  }
  return kube::AdmissionResponse::deny(joined(violations));
}

}  // namespace landlord::controllers
