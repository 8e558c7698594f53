#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

using StringPairs = std::vector<std::pair<std::string, std::string>>;

// What varies between hollow nodes; everything else (Ready condition, node
// info) is the same for all of them.
struct HollowNode {
  std::string name;
  StringPairs labels;
  StringPairs annotations;
  StringPairs resources;  // capacity and allocatable alike
};

// A Ready node with the labels NVIDIA GPU Feature Discovery sets
// (nvidia.com/gpu.product, nvidia.com/gpu.count) and nvidia.com/gpu capacity.
HollowNode hollowNode(std::string_view pool, const placement::NodeGroupSpec& group,
                      std::int64_t index);

// The Node as the API server's JSON.
nlohmann::json toJson(const HollowNode& node);

// The Node in the API server's protobuf encoding
// (Content-Type application/vnd.kubernetes.protobuf): the "k8s\0" magic, then
// a runtime.Unknown holding apiVersion, kind and the v1.Node message. The
// server decodes it for a fraction of what JSON costs it.
std::string toProtobuf(const HollowNode& node);

inline constexpr std::string_view kProtobufContentType = "application/vnd.kubernetes.protobuf";

// "type=kwok,topology.kubernetes.io/zone=<pool>", or every hollow node.
std::string hollowNodeSelector(std::string_view pool = {});

}  // namespace landlord::hollow
