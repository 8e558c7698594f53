// The GroupVersionResources of the four landlord.dev/v1alpha1 kinds.
#include "landlord/api/v1alpha1/resources.h"

#include <string>

namespace landlord::api::inline v1alpha1 {

namespace {

kube::GroupVersionResource landlordResource(std::string resource, bool namespaced,
                                            std::string kind) {
  return kube::GroupVersionResource{std::string(kGroup), std::string(kVersion), std::move(resource),
                                    namespaced, std::move(kind)};
}

}  // namespace

kube::GroupVersionResource gpuPools() {
  return landlordResource("gpupools", false, "GPUPool");
}

kube::GroupVersionResource tenants() {
  return landlordResource("tenants", false, "Tenant");
}

kube::GroupVersionResource poolLeases() {
  return landlordResource("poolleases", false, "PoolLease");
}

kube::GroupVersionResource placements() {
  return landlordResource("placements", true, "Placement");
}

}  // namespace landlord::api::inline v1alpha1
