#include "hollow_node.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "landlord/placement/labels.h"
#include "protobuf_writer.h"

namespace landlord::hollow {

namespace {

constexpr std::string_view kReadyType = "Ready";
constexpr std::string_view kReadyStatus = "True";
constexpr std::string_view kReadyReason = "KubeletReady";
constexpr std::string_view kReadyMessage = "hollow node simulated by kwok";
constexpr std::string_view kPhase = "Running";

// v1.NodeSystemInfo fields in protobuf field order (1..10); empty ones are
// left out of the protobuf encoding, which decodes to the same empty string.
constexpr std::pair<std::string_view, std::string_view> kNodeInfo[] = {
    {"machineID", ""},          {"systemUUID", ""},       {"bootID", ""},
    {"kernelVersion", "kwok"},  {"osImage", "hollow"},    {"containerRuntimeVersion", "kwok"},
    {"kubeletVersion", "kwok"}, {"kubeProxyVersion", ""}, {"operatingSystem", "linux"},
    {"architecture", "amd64"},
};

nlohmann::json toJsonObject(const StringPairs& pairs) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : pairs)
    object[key] = value;
  return object;
}

}  // namespace

std::string productSlug(std::string_view product) {
  constexpr std::string_view vendorPrefix = "NVIDIA-";
  if (product.starts_with(vendorPrefix)) {
    product.remove_prefix(vendorPrefix.size());
  }
  std::string slug(product.substr(0, product.find('-')));
  std::transform(slug.begin(), slug.end(), slug.begin(),
                 [](unsigned char c) { return std::isalnum(c) ? std::tolower(c) : '-'; });
  return slug.empty() ? "gpu" : slug;
}

std::string hollowNodeName(std::string_view pool, std::string_view product, std::int64_t index) {
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "%05lld", static_cast<long long>(index));
  return std::string(pool) + "-" + productSlug(product) + "-" + suffix;
}

HollowNode hollowNode(std::string_view pool, const placement::NodeGroupSpec& group,
                      std::int64_t index) {
  HollowNode node;
  node.name = hollowNodeName(pool, group.product, index);
  const std::string gpus = std::to_string(group.gpusPerNode);
  node.labels = {{std::string(kHollowLabel), std::string(kHollowLabelValue)},
                 {std::string(kPoolLabel), std::string(pool)},
                 {"kubernetes.io/hostname", node.name},
                 {"kubernetes.io/os", "linux"},
                 {"kubernetes.io/arch", "amd64"},
                 {"nvidia.com/gpu.present", "true"},
                 {std::string(placement::kGpuProductLabel), group.product},
                 {std::string(placement::kGpuCountLabel), gpus}};
  node.annotations = {{std::string(kKwokAnnotation), "fake"}};
  node.resources = {{"cpu", "128"},
                    {"memory", "2Ti"},
                    {"pods", "110"},
                    {std::string(placement::kGpuResource), gpus}};
  return node;
}

nlohmann::json toJson(const HollowNode& node) {
  const nlohmann::json resources = toJsonObject(node.resources);
  nlohmann::json nodeInfo = nlohmann::json::object();
  for (const auto& [field, value] : kNodeInfo)
    nodeInfo[std::string(field)] = value;
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata",
           {{"name", node.name},
            {"labels", toJsonObject(node.labels)},
            {"annotations", toJsonObject(node.annotations)}}},
          {"spec", nlohmann::json::object()},
          {"status",
           {{"capacity", resources},
            {"allocatable", resources},
            {"phase", kPhase},
            {"conditions",
             {{{"type", kReadyType},
               {"status", kReadyStatus},
               {"reason", kReadyReason},
               {"message", kReadyMessage}}}},
            {"nodeInfo", nodeInfo}}}};
}

std::string toProtobuf(const HollowNode& node) {
  // Field numbers from k8s.io/api core/v1 and k8s.io/apimachinery generated.proto.
  ProtobufWriter v1Node;
  v1Node.message(1, [&](ProtobufWriter& meta) {  // ObjectMeta
    meta.string(1, node.name);
    for (const auto& [key, value] : node.labels)
      meta.mapEntry(11, key, value);
    for (const auto& [key, value] : node.annotations)
      meta.mapEntry(12, key, value);
  });
  v1Node.message(3, [&](ProtobufWriter& status) {  // NodeStatus
    for (int field : {1, 2}) {                     // capacity, allocatable
      for (const auto& [name, quantity] : node.resources) {
        status.message(field, [&](ProtobufWriter& entry) {
          entry.string(1, name);
          entry.message(2, [&](ProtobufWriter& q) { q.string(1, quantity); });
        });
      }
    }
    status.string(3, kPhase);
    status.message(4, [&](ProtobufWriter& condition) {
      condition.string(1, kReadyType);
      condition.string(2, kReadyStatus);
      condition.string(5, kReadyReason);
      condition.string(6, kReadyMessage);
    });
    status.message(7, [&](ProtobufWriter& info) {
      int field = 1;
      for (const auto& entry : kNodeInfo) {
        if (!entry.second.empty())
          info.string(field, entry.second);
        ++field;
      }
    });
  });
  ProtobufWriter unknown;
  unknown.message(1, [](ProtobufWriter& typeMeta) {
    typeMeta.string(1, "v1");
    typeMeta.string(2, "Node");
  });
  unknown.string(2, v1Node.bytes());
  return std::string("k8s\0", 4) + std::move(unknown).bytes();
}

std::string hollowNodeSelector(std::string_view pool) {
  std::string selector = std::string(kHollowLabel) + "=" + std::string(kHollowLabelValue);
  if (!pool.empty()) {
    selector += "," + std::string(kPoolLabel) + "=" + std::string(pool);
  }
  return selector;
}

}  // namespace landlord::hollow
