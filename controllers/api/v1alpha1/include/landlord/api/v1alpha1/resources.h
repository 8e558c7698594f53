#pragma once

// Where the four landlord.dev/v1alpha1 kinds live on the API server: group,
// version and the GroupVersionResource of each (names from crds/, the contract).

#include <string_view>

#include "landlord/operator/client/resource.h"

// v1alpha1 is the inline (current) version: api::GpuPool is api::v1alpha1::GpuPool.
namespace landlord::api::inline v1alpha1 {

inline constexpr std::string_view kGroup = "landlord.dev";
inline constexpr std::string_view kVersion = "v1alpha1";
inline constexpr std::string_view kApiVersion = "landlord.dev/v1alpha1";

kube::GroupVersionResource gpuPools();    // cluster-scoped
kube::GroupVersionResource tenants();     // cluster-scoped
kube::GroupVersionResource poolLeases();  // cluster-scoped
kube::GroupVersionResource placements();  // namespaced

}  // namespace landlord::api::inline v1alpha1
