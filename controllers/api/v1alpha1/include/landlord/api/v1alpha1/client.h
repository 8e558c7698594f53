#pragma once

// Landlord objects through the kube Client, typed: reads decoded, and the writes
// that decide something.
//
// Each write carries the
// metadata.resourceVersion the object was read at, which the API server (and the
// FakeClient) treats as a precondition: if anyone wrote the object since, the
// write fails with ConflictError and the caller re-reads. So of two writers
// racing on one object exactly one wins; a stale cache costs a conflict, never a
// wrong decision. This is what keeps two operator replicas from both claiming a
// pool (GPUPool status.lease).
//
// Status goes to the status subresource as an update of the whole status (PUT
// /status): the role's RBAC grants `update` on */status, and every status field of
// crds/ is modelled here, so nothing the server holds is lost by writing all of it.

#include <string>
#include <string_view>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/placement.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/tenant.h"
#include "landlord/operator/client/client.h"

namespace landlord::api::inline v1alpha1 {

// One object of a kind (GpuPool, Tenant, PoolLease, Placement); `ns` is ignored for
// the cluster-scoped kinds. Throws NotFoundError, and the client's other errors.
template <class Object>
Object get(kube::Client& client, std::string_view ns, std::string_view name);

// Every object of a kind (in `ns`, or all namespaces when empty), every page.
template <class Object>
std::vector<Object> list(kube::Client& client, std::string_view ns = "");

// Writes `status` as the status of `read`, conditional on read's resourceVersion.
// No request when it equals read's status. Returns the object as the server
// stored it (or `read` when nothing was written). Throws ConflictError when the
// object changed since it was read.
GpuPool writeStatus(kube::Client& client, const GpuPool& read, const GpuPoolStatus& status);
Tenant writeStatus(kube::Client& client, const Tenant& read, const TenantStatus& status);
PoolLease writeStatus(kube::Client& client, const PoolLease& read, const PoolLeaseStatus& status);
Placement writeStatus(kube::Client& client, const Placement& read, const PlacementStatus& status);

// Sets metadata.finalizers to `finalizers` with a merge patch, conditional on
// read's resourceVersion. Returns the object as the server stored it; once the
// last finalizer of an object being deleted goes, the server deletes it.
PoolLease writeFinalizers(kube::Client& client, const PoolLease& read,
                          const std::vector<std::string>& finalizers);
GpuPool writeFinalizers(kube::Client& client, const GpuPool& read,
                        const std::vector<std::string>& finalizers);
Tenant writeFinalizers(kube::Client& client, const Tenant& read,
                       const std::vector<std::string>& finalizers);

}  // namespace landlord::api::inline v1alpha1
