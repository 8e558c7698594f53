#pragma once

// landlord's admission policies: plain functions from an AdmissionRequest to an
// AdmissionResponse that read informer caches, so they answer fast under load. A
// refusal that rests on an object being absent (or a Placement not yet Bound) is
// confirmed with the API server first: an object created in the same `kubectl
// apply` may not have reached the cache. They are a first line of defence with
// clear messages; the reconcilers keep their own checks (the pool claim) for when
// the webhook is down or its caches lag.

#include <string_view>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/placement.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/tenant.h"
#include "landlord/controllers/admission/tenancy.h"
#include "landlord/controllers/projections/node.h"
#include "landlord/controllers/wall_clock.h"
#include "landlord/operator/cache/informer.h"
#include "landlord/operator/client/client.h"
#include "landlord/operator/webhook/admission.h"

namespace landlord::controllers {

inline constexpr std::string_view kMutatePodPath = "/mutate-v1-pod";
inline constexpr std::string_view kValidatePodPath = "/validate-v1-pod";
inline constexpr std::string_view kValidateLandlordPath = "/validate-landlord-dev-v1alpha1";

// The caches the policies read; not owned, must outlive the webhooks.
struct AdmissionCaches {
  const kube::Lister<NodeInfo>& nodes;
  const kube::Lister<api::GpuPool>& pools;
  const kube::Lister<api::Tenant>& tenants;
  const kube::Lister<api::PoolLease>& leases;
  const kube::Lister<api::Placement>& placements;
  // Asked (a quorum GET or LIST of landlord's kinds, which no webhook of ours
  // intercepts) when the cache lacks what a request names; null: caches only.
  kube::Client* server = nullptr;
  // The operator's clock: it decides whether a term's start is in the past.
  WallClock now = systemWallClock();
};

// /mutate-v1-pod, Pods on CREATE. A pod labelled landlord.dev/placement=<name> is
// pinned to the pools its Placement (same namespace) is Bound to: required node
// affinity landlord.dev/pool In [pools], ANDed into every required term, and the
// toleration of its tenant's taint. Denied while that Placement is missing or not
// Bound. Other pods pass untouched.
kube::AdmissionResponse mutatePod(const AdmissionCaches& caches,
                                  const kube::AdmissionRequest& request);

// /validate-v1-pod, Pods on CREATE and UPDATE. Denies a pod that could reach a pool
// leased to a tenant other than its namespace's: a toleration of another tenant's
// taint (including operator Exists on landlord.dev/tenant and the
// tolerate-everything empty key; pods of no tenant controlled by a DaemonSet are
// exempt, as node agents must run on every node) or of the handover hold taint
// landlord.dev/handover, spec.nodeName on such a pool's node, or a nodeSelector /
// required node affinity on landlord.dev/pool that selects only such pools. An
// UPDATE is judged by the same rules, with the same messages, on the scheduling
// fields it changes only (the tolerations it adds; nodeSelector and affinity,
// which Kubernetes lets a gated pod change): an UPDATE that changes none of them
// is allowed even for a pod the CREATE rules would refuse today.
kube::AdmissionResponse validatePod(const AdmissionCaches& caches,
                                    const kube::AdmissionRequest& request);

// /validate-landlord-dev-v1alpha1, the landlord.dev kinds on CREATE and UPDATE:
// what spans objects and so escapes the CRD schemas. PoolLease (on CREATE; its pool,
// tenant and supersedes are immutable): the pool and tenant exist, the pool has no
// other live lease unless spec.supersedes names it, spec.supersedes names a lease
// of the same pool that no other lease already supersedes. Placement: its
// namespace belongs to a Tenant. Tenant: no namespace it adds is another Tenant's.
// GPUPool on DELETE: not while a lease holds its claim (delete the lease first, so
// its finalizer releases the nodes). Never denies another DELETE, an object being
// deleted, or kinds it does not know.
kube::AdmissionResponse validateLandlordObject(const AdmissionCaches& caches,
                                               const kube::AdmissionRequest& request);

// The three webhooks on their paths. A malformed object gets 400 naming the field,
// not a crash.
std::vector<kube::AdmissionWebhook> admissionWebhooks(const AdmissionCaches& caches);

}  // namespace landlord::controllers
