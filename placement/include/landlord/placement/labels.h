#pragma once

#include <string_view>

namespace landlord::placement {

// Node labels read from NVIDIA GPU Feature Discovery.
inline constexpr std::string_view kGpuProductLabel = "nvidia.com/gpu.product";
inline constexpr std::string_view kGpuCountLabel = "nvidia.com/gpu.count";
inline constexpr std::string_view kGpuResource = "nvidia.com/gpu";

// Labels and taints landlord owns.
inline constexpr std::string_view kPoolLabel = "landlord.dev/pool";
inline constexpr std::string_view kGpuModelLabel = "landlord.dev/gpu-model";
inline constexpr std::string_view kTenantLabel = "landlord.dev/tenant";
inline constexpr std::string_view kTenantTaintKey = "landlord.dev/tenant";
inline constexpr std::string_view kTenantTaintEffect = "NoSchedule";
// Set together with spec.unschedulable when a handover cordons a node (value: the
// pool), so the handover uncordons only what it cordoned and leaves an
// administrator's cordon alone.
inline constexpr std::string_view kCordonedByLabel = "landlord.dev/cordoned-by";
// Pods opt in to a Placement with this label.
inline constexpr std::string_view kPlacementLabel = "landlord.dev/placement";

}  // namespace landlord::placement
