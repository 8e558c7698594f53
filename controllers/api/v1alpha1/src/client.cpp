// Landlord objects through the kube Client: decoded reads, and writes conditional on the version
// read.
#include "landlord/api/v1alpha1/client.h"

#include "landlord/api/v1alpha1/resources.h"

namespace landlord::api::inline v1alpha1 {

namespace {

template <class Object>
kube::GroupVersionResource resourceOf();
template <>
kube::GroupVersionResource resourceOf<GpuPool>() {
  return gpuPools();
}
template <>
kube::GroupVersionResource resourceOf<Tenant>() {
  return tenants();
}
template <>
kube::GroupVersionResource resourceOf<PoolLease>() {
  return poolLeases();
}
template <>
kube::GroupVersionResource resourceOf<Placement>() {
  return placements();
}

template <class Object, class Status>
Object updateStatus(kube::Client& client, const Object& read, const Status& status) {
  if (status == read.status) {
    return read;
  }
  Object updated = read;
  updated.status = status;
  kube::UpdateOptions options;
  options.subresource = "status";
  // encode() carries metadata.resourceVersion as read: the precondition.
  return decode<Object>(client.update(resourceOf<Object>(), encode(updated), options));
}

}  // namespace

template <class Object>
Object get(kube::Client& client, std::string_view ns, std::string_view name) {
  return decode<Object>(client.get(resourceOf<Object>(), ns, name));
}

template <class Object>
std::vector<Object> list(kube::Client& client, std::string_view ns) {
  std::vector<Object> objects;
  for (const json& item : kube::listAll(client, resourceOf<Object>(), ns).items) {
    objects.push_back(decode<Object>(item));
  }
  return objects;
}

template GpuPool get<GpuPool>(kube::Client&, std::string_view, std::string_view);
template Tenant get<Tenant>(kube::Client&, std::string_view, std::string_view);
template PoolLease get<PoolLease>(kube::Client&, std::string_view, std::string_view);
template Placement get<Placement>(kube::Client&, std::string_view, std::string_view);
template std::vector<GpuPool> list<GpuPool>(kube::Client&, std::string_view);
template std::vector<Tenant> list<Tenant>(kube::Client&, std::string_view);
template std::vector<PoolLease> list<PoolLease>(kube::Client&, std::string_view);
template std::vector<Placement> list<Placement>(kube::Client&, std::string_view);

GpuPool writeStatus(kube::Client& client, const GpuPool& read, const GpuPoolStatus& status) {
  return updateStatus(client, read, status);
}

Tenant writeStatus(kube::Client& client, const Tenant& read, const TenantStatus& status) {
  return updateStatus(client, read, status);
}

PoolLease writeStatus(kube::Client& client, const PoolLease& read, const PoolLeaseStatus& status) {
  return updateStatus(client, read, status);
}

Placement writeStatus(kube::Client& client, const Placement& read, const PlacementStatus& status) {
  return updateStatus(client, read, status);
}

namespace {

template <class Object>
Object patchFinalizers(kube::Client& client, const Object& read,
                       const std::vector<std::string>& finalizers) {
  json metadata = {{"finalizers", finalizers}};
  if (!read.metadata.resourceVersion.empty()) {
    metadata["resourceVersion"] = read.metadata.resourceVersion;
  }
  return decode<Object>(client.patch(resourceOf<Object>(), read.metadata.namespace_,
                                     read.metadata.name, kube::PatchType::Merge,
                                     {{"metadata", std::move(metadata)}}));
}

}  // namespace

PoolLease writeFinalizers(kube::Client& client, const PoolLease& read,
                          const std::vector<std::string>& finalizers) {
  return patchFinalizers(client, read, finalizers);
}

GpuPool writeFinalizers(kube::Client& client, const GpuPool& read,
                        const std::vector<std::string>& finalizers) {
  return patchFinalizers(client, read, finalizers);
}

Tenant writeFinalizers(kube::Client& client, const Tenant& read,
                       const std::vector<std::string>& finalizers) {
  return patchFinalizers(client, read, finalizers);
}

}  // namespace landlord::api::inline v1alpha1
