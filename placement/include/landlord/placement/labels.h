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
// The hold: a NoSchedule taint landlord.dev/handover=<pool> that keeps every pod
// off a node while it changes hands (see ownership.h). landlord never cordons, so
// an administrator's cordon is never undone.
inline constexpr std::string_view kHoldTaintKey = "landlord.dev/handover";
inline constexpr std::string_view kHoldTaintEffect = "NoSchedule";
// Pods opt in to a Placement with this label.
inline constexpr std::string_view kPlacementLabel = "landlord.dev/placement";

}  // namespace landlord::placement
