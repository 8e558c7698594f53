// /validate-landlord-dev-v1alpha1: the checks on landlord's own kinds that span
// objects, so the CRD schemas cannot make them (DESIGN.md rule 6: schema, then
// webhook, then status condition). Whatever passes here is still checked by the
// reconcilers: the pool claim holds exclusivity even with the webhook down.

#include <algorithm>
#include <set>

#include "admission_lookup.h"
#include "admission_request.h"
#include "landlord/controllers/admission/admission_policies.h"
#include "landlord/controllers/leases/lease_terms.h"
#include "landlord/controllers/leases/pool_claim.h"

namespace landlord::controllers {

using admission::inQuotes;
using admission::lookup;
using admission::tenantOwning;
using kube::AdmissionResponse;

namespace {

constexpr std::size_t kNamesListed = 10;
// How far in the past a term's start may be on create: the client's clock and the
// operator's may disagree by this much, and such a start means "now".
constexpr std::chrono::seconds kStartSkew{60};

// `"a", "b"`: the names a lister holds, to say what would have been valid.
template <class Object>
std::string knownNames(const kube::Lister<Object>& lister) {
  std::string names;
  std::size_t listed = 0;
  const auto entries = sortedEntries(lister);
  for (const auto& entry : entries) {
    if (listed++ == kNamesListed) {
      return names + ", and " + std::to_string(entries.size() - kNamesListed) + " more";
    }
    names += (names.empty() ? "" : ", ") + inQuotes(entry->meta.name());
  }
  return names.empty() ? "none exists yet" : names;
}

std::string describeLease(const api::PoolLease& lease) {
  return "lease " + inQuotes(lease.metadata.name) + " (tenant " + inQuotes(lease.spec.tenant) +
         ", phase " + phaseOf(lease) + ")";
}

const api::PoolLease* find(const std::vector<api::PoolLease>& leases, const std::string& name) {
  auto it = std::find_if(leases.begin(), leases.end(),
                         [&](const api::PoolLease& lease) { return lease.metadata.name == name; });
  return it == leases.end() ? nullptr : &*it;
}

// The live lease holding the pool's claim, or the first live one when none does yet.
const api::PoolLease& holding(const std::vector<api::PoolLease>& live, const api::GpuPool& pool) {
  const api::PoolLease* holder =
      find(live, pool.status.lease ? pool.status.lease->name : std::string());
  return holder ? *holder : live.front();
}

// The live lease on the pool that no other live lease supersedes yet, following the
// handover chain from the one holding the pool: the one a new lease must supersede.
const api::PoolLease& newestLive(const std::vector<api::PoolLease>& live,
                                 const api::GpuPool& pool) {
  const api::PoolLease* current = &holding(live, pool);
  for (std::size_t hops = 0; hops < live.size(); ++hops) {
    auto successor = std::find_if(live.begin(), live.end(), [&](const api::PoolLease& lease) {
      return lease.spec.supersedes == current->metadata.name;
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
AdmissionResponse validateLease(const AdmissionCaches& caches, const api::PoolLease& lease) {
  const std::string& name = lease.metadata.name;
  const std::string& poolName = lease.spec.pool;
  const std::string& supersedes = lease.spec.supersedes;
  const std::optional<api::GpuPool> pool = lookup(caches, caches.pools, "", poolName);
  if (!pool) {
    return AdmissionResponse::deny("spec.pool: GPUPool " + inQuotes(poolName) +
                                   " does not exist; a lease names an existing pool (GPUPools: " +
                                   knownNames(caches.pools) + ")");
  }
  const std::string& tenant = lease.spec.tenant;
  if (!lookup(caches, caches.tenants, "", tenant)) {
    return AdmissionResponse::deny(
        "spec.tenant: Tenant " + inQuotes(tenant) +
        " does not exist; create it first (Tenants: " + knownNames(caches.tenants) + ")");
  }
  const placement::TimePoint now = toTimePoint(caches.now());
  if (const auto start = termStart(lease); start && *start + kStartSkew < now) {
    return AdmissionResponse::deny("spec.term.start: " + lease.spec.term->start +
                                   " is in the past (the operator's clock says " +
                                   kube::formatTime(now) +
                                   "); leave spec.term.start out to start at once");
  }
  std::vector<api::PoolLease> leases;  // every lease, for the double-booking rule
  for (const auto& other : sortedEntries(caches.leases)) {
    leases.push_back(other->value);
  }
  std::optional<std::string> doubleBooked = doubleBookingOf(lease, leases, now);
  if (doubleBooked) {
    *doubleBooked = (lease.spec.term ? "spec.term: " : "spec.pool: ") + *doubleBooked;
  }
  if (lease.spec.term && supersedes.empty()) {
    // A lease with a term needs no supersedes to follow another: its window must
    // only not overlap any other's.
    return doubleBooked ? AdmissionResponse::deny(*doubleBooked) : AdmissionResponse::allow();
  }
  std::vector<api::PoolLease> live;  // the other live leases on this pool
  for (const auto& other : sortedEntries(caches.leases)) {
    if (other->value.spec.pool == poolName && other->meta.name() != name &&
        isLiveLease(other->value, &*pool)) {
      live.push_back(other->value);
    }
  }
  const std::string handOver = live.empty() ? "" : newestLive(live, *pool).metadata.name;
  if (supersedes.empty()) {
    if (live.empty()) {
      return doubleBooked ? AdmissionResponse::deny(*doubleBooked) : AdmissionResponse::allow();
    }
    return AdmissionResponse::deny(
        "spec.pool: pool " + inQuotes(poolName) + " already has live " +
        describeLease(holding(live, *pool)) +
        "; a pool is leased to one tenant at a time: set spec.supersedes: " + handOver +
        " to hand it over");
  }
  const std::optional<api::PoolLease> previous = lookup(caches, caches.leases, "", supersedes);
  if (!previous) {
    return AdmissionResponse::deny(
        "spec.supersedes: PoolLease " + inQuotes(supersedes) +
        " does not exist; a handover names the lease it replaces on pool " + inQuotes(poolName) +
        (live.empty() ? " (none is live: leave spec.supersedes out)"
                      : " (set spec.supersedes: " + handOver + ")"));
  }
  if (const std::string& previousPool = previous->spec.pool; previousPool != poolName) {
    return AdmissionResponse::deny(
        "spec.supersedes: lease " + inQuotes(supersedes) + " is on pool " + inQuotes(previousPool) +
        ", not " + inQuotes(poolName) + "; a handover replaces a lease on the same pool");
  }
  for (const api::PoolLease& other : live) {
    if (other.spec.supersedes == supersedes) {
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
  if (doubleBooked) {
    return AdmissionResponse::deny(*doubleBooked);
  }
  return AdmissionResponse::allow();
}

// PoolLease, on UPDATE: a renewal (spec.term.end moved) must not run into another
// lease's term on the pool.
AdmissionResponse validateTermChange(const AdmissionCaches& caches, const api::PoolLease& before,
                                     const api::PoolLease& after) {
  if (termEnd(before) == termEnd(after) || !liveOrScheduled(after)) {
    return AdmissionResponse::allow();
  }
  std::vector<api::PoolLease> leases;
  for (const auto& other : sortedEntries(caches.leases)) {
    leases.push_back(other->value);
  }
  if (const auto clash = doubleBookingOf(after, leases, toTimePoint(caches.now()))) {
    return AdmissionResponse::deny("spec.term.end: " + *clash);
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

std::set<std::string> namespacesOf(const api::Tenant& tenant) {
  return {tenant.spec.namespaces.begin(), tenant.spec.namespaces.end()};
}

// Tenant: each namespace it adds belongs to no other Tenant. Namespaces it already
// listed are not re-checked, so a clash made while the webhook was down does not
// block unrelated edits (including the one that resolves it).
AdmissionResponse validateTenant(const AdmissionCaches& caches,
                                 const kube::AdmissionRequest& request) {
  const api::Tenant tenant = admission::decodeWhole<api::Tenant>(request.object);
  const std::string& name = tenant.metadata.name;
  const std::set<std::string> before =
      request.oldObject.is_object() ? namespacesOf(api::decode<api::Tenant>(request.oldObject))
                                    : std::set<std::string>{};
  std::string clashes;
  for (const std::string& ns : namespacesOf(tenant)) {
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
AdmissionResponse validatePoolDeletion(const AdmissionCaches& caches, const api::GpuPool& pool) {
  const std::optional<Claim> claim = claimOf(pool);
  if (!claim) {
    return AdmissionResponse::allow();
  }
  const std::optional<api::PoolLease> holder = lookup(caches, caches.leases, "", claim->lease);
  if (!holder || (!claim->uid.empty() && holder->metadata.uid != claim->uid) ||
      phaseOf(*holder) == "Released") {
    return AdmissionResponse::allow();  // a stale claim: nothing holds the nodes
  }
  return AdmissionResponse::deny(
      "GPUPool " + inQuotes(pool.metadata.name) + " is held by " + describeLease(*holder) +
      ", whose nodes are labelled and tainted for its tenant; delete lease " +
      inQuotes(claim->lease) +
      " first (its finalizer holds, drains and releases the nodes), then the pool");
}

}  // namespace

AdmissionResponse validateLandlordObject(const AdmissionCaches& caches,
                                         const kube::AdmissionRequest& request) {
  if (request.kind.group != api::kGroup) {
    return AdmissionResponse::allow();
  }
  if (request.operation == "DELETE" && request.kind.kind == api::GpuPool::kKind &&
      request.oldObject.is_object()) {
    // Read as it decodes: a deletion is never refused for a field that does not.
    return validatePoolDeletion(caches, api::decode<api::GpuPool>(request.oldObject));
  }
  const bool createOrUpdate = request.operation == "CREATE" || request.operation == "UPDATE";
  if (!createOrUpdate) {
    return AdmissionResponse::allow();
  }
  if (!request.object.is_object()) {
    return admission::malformedObject(request);
  }
  // Deleting an object only moves its finalizers; refusing that would wedge it.
  if (api::decodeMetadata(request.object).deleting()) {
    return AdmissionResponse::allow();
  }
  const std::string& kind = request.kind.kind;
  if (kind == api::PoolLease::kKind) {
    // spec.pool, spec.tenant and spec.supersedes are immutable (CRD rules): checked
    // once, at creation; an update re-checking them could refuse the controller's
    // own writes on a lease whose pool was deleted since.
    if (request.operation == "CREATE") {
      return validateLease(caches, admission::decodeWhole<api::PoolLease>(request.object));
    }
    return request.oldObject.is_object()
               ? validateTermChange(caches, api::decode<api::PoolLease>(request.oldObject),
                                    admission::decodeWhole<api::PoolLease>(request.object))
               : AdmissionResponse::allow();
  }
  if (kind == api::Placement::kKind) {
    return validatePlacement(caches, request);
  }
  if (kind == api::Tenant::kKind) {
    return validateTenant(caches, request);
  }
  return AdmissionResponse::allow();
}

}  // namespace landlord::controllers
