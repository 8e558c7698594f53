// /validate-landlord-dev-v1alpha1: the checks on landlord's own kinds that span
// objects, so the CRD schemas cannot make them (DESIGN.md rule 6: schema, then
// webhook, then status condition). Whatever passes here is still checked by the
// reconcilers: the pool claim holds exclusivity even with the webhook down.

#include <algorithm>
#include <set>

#include "admission_lookup.h"
#include "admission_request.h"
#include "landlord/controllers/admission/admission_policies.h"
#include "landlord/controllers/leases/pool_claim.h"

namespace landlord::controllers {

using admission::inQuotes;
using admission::lookup;
using admission::tenantOwning;
using kube::AdmissionResponse;

namespace {

const json::json_pointer kName("/metadata/name");
const json::json_pointer kPool("/spec/pool");
const json::json_pointer kTenant("/spec/tenant");
const json::json_pointer kSupersedes("/spec/supersedes");
const json::json_pointer kNamespaces("/spec/namespaces");
const json::json_pointer kPhase("/status/phase");
const json::json_pointer kUid("/metadata/uid");

constexpr std::size_t kNamesListed = 10;

// `"a", "b"`: the names a lister holds, to say what would have been valid.
std::string knownNames(const JsonLister& lister) {
  std::string names;
  std::size_t listed = 0;
  const std::vector<JsonLister::Ptr> entries = sortedEntries(lister);
  for (const JsonLister::Ptr& entry : entries) {
    if (listed++ == kNamesListed) {
      return names + ", and " + std::to_string(entries.size() - kNamesListed) + " more";
    }
    names += (names.empty() ? "" : ", ") + inQuotes(entry->meta.name);
  }
  return names.empty() ? "none exists yet" : names;
}

std::string phaseOf(const json& lease) {
  const std::string phase = stringAt(lease, kPhase);
  return phase.empty() ? "Pending" : phase;
}

std::string describeLease(const json& lease) {
  return "lease " + inQuotes(stringAt(lease, kName)) + " (tenant " +
         inQuotes(stringAt(lease, kTenant)) + ", phase " + phaseOf(lease) + ")";
}

const json* find(const std::vector<json>& leases, const std::string& name) {
  auto it = std::find_if(leases.begin(), leases.end(),
                         [&](const json& lease) { return stringAt(lease, kName) == name; });
  return it == leases.end() ? nullptr : &*it;
}

// The live lease holding the pool's claim, or the first live one when none does yet.
const json& holding(const std::vector<json>& live, const json& pool) {
  const json* holder = find(live, stringAt(pool, json::json_pointer("/status/lease/name")));
  return holder ? *holder : live.front();
}

// The live lease on the pool that no other live lease supersedes yet, following the
// handover chain from the one holding the pool: the one a new lease must supersede.
const json& newestLive(const std::vector<json>& live, const json& pool) {
  const json* current = &holding(live, pool);
  for (std::size_t hops = 0; hops < live.size(); ++hops) {
    auto successor = std::find_if(live.begin(), live.end(), [&](const json& lease) {
      return stringAt(lease, kSupersedes) == stringAt(*current, kName);
    });
    if (successor == live.end()) {
      break;
    }
    current = &*successor;
  }
  return *current;
}

// PoolLease, on CREATE: pool and tenant exist; exclusivity (DESIGN.md rule 1) unless
// this is a handover of the pool's newest live lease.
AdmissionResponse validateLease(const AdmissionCaches& caches, const json& lease) {
  const std::string name = stringAt(lease, kName);
  const std::string poolName = stringAt(lease, kPool);
  const std::string supersedes = stringAt(lease, kSupersedes);
  const std::optional<json> pool = lookup(caches, caches.pools, api::gpuPools(), "", poolName);
  if (!pool) {
    return AdmissionResponse::deny("spec.pool: GPUPool " + inQuotes(poolName) +
                                   " does not exist; a lease names an existing pool (GPUPools: " +
                                   knownNames(caches.pools) + ")");
  }
  const std::string tenant = stringAt(lease, kTenant);
  if (!lookup(caches, caches.tenants, api::tenants(), "", tenant)) {
    return AdmissionResponse::deny(
        "spec.tenant: Tenant " + inQuotes(tenant) +
        " does not exist; create it first (Tenants: " + knownNames(caches.tenants) + ")");
  }
  std::vector<json> live;  // the other live leases on this pool
  for (const JsonLister::Ptr& other : sortedEntries(caches.leases)) {
    if (stringAt(other->value, kPool) == poolName && other->meta.name != name &&
        isLiveLease(other->value, *pool)) {
      live.push_back(other->value);
    }
  }
  const std::string handOver = live.empty() ? "" : stringAt(newestLive(live, *pool), kName);
  if (supersedes.empty()) {
    if (live.empty()) {
      return AdmissionResponse::allow();
    }
    return AdmissionResponse::deny(
        "spec.pool: pool " + inQuotes(poolName) + " already has live " +
        describeLease(holding(live, *pool)) +
        "; a pool is leased to one tenant at a time: set spec.supersedes: " + handOver +
        " to hand it over");
  }
  const std::optional<json> previous =
      lookup(caches, caches.leases, api::poolLeases(), "", supersedes);
  if (!previous) {
    return AdmissionResponse::deny(
        "spec.supersedes: PoolLease " + inQuotes(supersedes) +
        " does not exist; a handover names the lease it replaces on pool " + inQuotes(poolName) +
        (live.empty() ? " (none is live: leave spec.supersedes out)"
                      : " (set spec.supersedes: " + handOver + ")"));
  }
  if (const std::string previousPool = stringAt(*previous, kPool); previousPool != poolName) {
    return AdmissionResponse::deny(
        "spec.supersedes: lease " + inQuotes(supersedes) + " is on pool " + inQuotes(previousPool) +
        ", not " + inQuotes(poolName) + "; a handover replaces a lease on the same pool");
  }
  for (const json& other : live) {
    if (stringAt(other, kSupersedes) == supersedes) {
      return AdmissionResponse::deny("spec.supersedes: lease " + inQuotes(supersedes) +
                                     " is already superseded by " + describeLease(other) +
                                     "; one handover at a time: set spec.supersedes: " + handOver +
                                     " to take the pool over after it");
    }
  }
  if (!live.empty() && !find(live, supersedes)) {
    return AdmissionResponse::deny("spec.supersedes: lease " + inQuotes(supersedes) + " is " +
                                   phaseOf(*previous) + " and no longer holds pool " +
                                   inQuotes(poolName) + ", which has live " +
                                   describeLease(holding(live, *pool)) +
                                   "; set spec.supersedes: " + handOver + " to hand it over");
  }
  return AdmissionResponse::allow();
}

// Placement: created in a namespace of a Tenant, whose leases it is placed on.
AdmissionResponse validatePlacement(const AdmissionCaches& caches,
                                    const kube::AdmissionRequest& request) {
  const std::string ns = admission::namespaceOf(request);
  if (tenantOwning(caches, ns)) {
    return AdmissionResponse::allow();
  }
  return AdmissionResponse::deny(
      "metadata.namespace: namespace " + inQuotes(ns) +
      " belongs to no Tenant, and a Placement requests capacity for the tenant owning its "
      "namespace; add " +
      inQuotes(ns) + " to a Tenant's spec.namespaces (Tenants: " + knownNames(caches.tenants) +
      ")");
}

std::set<std::string> namespacesOf(const json& tenant) {
  std::set<std::string> namespaces;
  for (const json& ns : tenant.value(kNamespaces, json::array())) {
    if (ns.is_string()) {
      namespaces.insert(ns.get<std::string>());
    }
  }
  return namespaces;
}

// Tenant: each namespace it adds belongs to no other Tenant. Namespaces it already
// listed are not re-checked, so a clash made while the webhook was down does not
// block unrelated edits (including the one that resolves it).
AdmissionResponse validateTenant(const AdmissionCaches& caches,
                                 const kube::AdmissionRequest& request) {
  const std::string name = stringAt(request.object, kName);
  const std::set<std::string> before =
      request.oldObject.is_object() ? namespacesOf(request.oldObject) : std::set<std::string>{};
  std::string clashes;
  for (const std::string& ns : namespacesOf(request.object)) {
    if (before.contains(ns)) {
      continue;
    }
    if (const auto other = otherTenantClaiming(caches.tenants, ns, name)) {
      clashes += (clashes.empty() ? "" : ", ") + inQuotes(ns) + " by tenant " + inQuotes(*other);
    }
  }
  if (clashes.empty()) {
    return AdmissionResponse::allow();
  }
  return AdmissionResponse::deny(
      "spec.namespaces: already claimed: " + clashes +
      "; a namespace belongs to one tenant, whose pods alone run on its pools: remove it from "
      "the other Tenant's spec.namespaces first");
}

// GPUPool, on DELETE: not while a lease holds it. Deleting the pool would strand
// its nodes labelled and tainted for the tenant (the lease's finalizer releases them
// only while the pool exists), so the lease goes first.
AdmissionResponse validatePoolDeletion(const AdmissionCaches& caches, const json& pool) {
  const std::optional<Claim> claim = claimOf(pool);
  if (!claim) {
    return AdmissionResponse::allow();
  }
  const std::optional<json> holder =
      lookup(caches, caches.leases, api::poolLeases(), "", claim->lease);
  if (!holder || (!claim->uid.empty() && stringAt(*holder, kUid) != claim->uid) ||
      phaseOf(*holder) == "Released") {
    return AdmissionResponse::allow();  // a stale claim: nothing holds the nodes
  }
  const std::string name = stringAt(pool, kName);
  return AdmissionResponse::deny(
      "GPUPool " + inQuotes(name) + " is held by " + describeLease(*holder) +
      ", whose nodes are labelled and tainted for its tenant; delete lease " +
      inQuotes(claim->lease) +
      " first (its finalizer cordons, drains and releases the nodes), then the pool");
}

}  // namespace

AdmissionResponse validateLandlordObject(const AdmissionCaches& caches,
                                         const kube::AdmissionRequest& request) {
  if (request.kind.group != "landlord.dev") {
    return AdmissionResponse::allow();
  }
  if (request.operation == "DELETE" && request.kind.kind == "GPUPool" &&
      request.oldObject.is_object()) {
    return validatePoolDeletion(caches, request.oldObject);
  }
  const bool createOrUpdate = request.operation == "CREATE" || request.operation == "UPDATE";
  if (!createOrUpdate) {
    return AdmissionResponse::allow();
  }
  if (!request.object.is_object()) {
    return admission::malformedObject(request);
  }
  // Deleting an object only moves its finalizers; refusing that would wedge it.
  if (request.object.contains(json::json_pointer("/metadata/deletionTimestamp"))) {
    return AdmissionResponse::allow();
  }
  const std::string& kind = request.kind.kind;
  if (kind == "PoolLease") {
    // spec.pool, spec.tenant and spec.supersedes are immutable (CRD rules): checked
    // once, at creation; an update re-checking them could refuse the controller's
    // own writes on a lease whose pool was deleted since.
    return request.operation == "CREATE" ? validateLease(caches, request.object)
                                         : AdmissionResponse::allow();
  }
  if (kind == "Placement") {
    return validatePlacement(caches, request);
  }
  if (kind == "Tenant") {
    return validateTenant(caches, request);
  }
  return AdmissionResponse::allow();
}

}  // namespace landlord::controllers
