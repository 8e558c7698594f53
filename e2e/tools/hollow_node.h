#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "landlord/placement/fleet.h"

namespace landlord::hollow {

// Nodes of the hollow fleet carry the label kwok's convention uses and the
// annotation kwok is told to manage; the zone label names the pool (the
// physical data hall), which GPUPools select on.
inline constexpr std::string_view kHollowLabel = "type";
inline constexpr std::string_view kHollowLabelValue = "kwok";
inline constexpr std::string_view kKwokAnnotation = "kwok.x-k8s.io/node";
inline constexpr std::string_view kPoolLabel = "topology.kubernetes.io/zone";

// "NVIDIA-H100-80GB-HBM3" -> "h100": a readable name fragment, not a model
// resolution (that is the GPU catalog's job).
std::string productSlug(std::string_view product);

// "colossus-1-h100-00042".
std::string hollowNodeName(std::string_view pool, std::string_view product, std::int64_t index);

// A Ready Node with the labels NVIDIA GPU Feature Discovery sets
// (nvidia.com/gpu.product, nvidia.com/gpu.count) and nvidia.com/gpu capacity.
nlohmann::json hollowNode(std::string_view pool, const placement::NodeGroupSpec& group,
                          std::int64_t index);

// "type=kwok,topology.kubernetes.io/zone=<pool>", or every hollow node.
std::string hollowNodeSelector(std::string_view pool = {});

}  // namespace landlord::hollow
