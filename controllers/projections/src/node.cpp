// The Node projection: labels, GPU product and count, readiness, cordon, taints.
#include "landlord/controllers/projections/node.h"

#include "landlord/placement/labels.h"

namespace landlord::controllers {

using nlohmann::json;
namespace placement = landlord::placement;

namespace {

std::int64_t parseCount(const json& value) {
  if (value.is_number_integer()) {
    return value.get<std::int64_t>();
  }
  if (value.is_string()) {
    try {
      return std::stoll(value.get<std::string>());
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

std::optional<std::string> NodeInfo::label(std::string_view key) const {
  const auto value = labels.get(key);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

std::string_view NodeInfo::product() const {
  return labels.get(placement::kGpuProductLabel).value_or(std::string_view());
}

std::optional<std::string_view> NodeInfo::tenantTaint() const {
  for (const TaintView& taint : taints) {
    if (taint.key == placement::kTenantTaintKey && taint.effect == placement::kTenantTaintEffect) {
      return taint.value;
    }
  }
  return std::nullopt;
}

NodeInfo projectNode(const json& node) {
  NodeInfo info;
  const json& metadata = node.value("metadata", json::object());
  if (metadata.contains("labels") && metadata["labels"].is_object()) {
    std::vector<std::pair<std::string, std::string>> labels;
    for (const auto& [key, value] : metadata["labels"].items()) {
      if (value.is_string()) {
        labels.emplace_back(key, value.get<std::string>());
      }
    }
    info.labels = LabelSet(std::move(labels));
  }
  const json capacity = node.value(json::json_pointer("/status/capacity"), json::object());
  if (capacity.contains(std::string(placement::kGpuResource))) {
    info.gpus = parseCount(capacity[std::string(placement::kGpuResource)]);
  } else if (auto count = info.labels.get(placement::kGpuCountLabel)) {
    info.gpus = parseCount(json(*count));
  }
  const json spec = node.value("spec", json::object());
  info.unschedulable = spec.value("unschedulable", false);
  std::vector<NodeTaint> taints;
  for (const json& taint : spec.value("taints", json::array())) {
    taints.push_back({taint.value("key", ""), taint.value("value", ""), taint.value("effect", "")});
  }
  info.taints = TaintList(taints);
  for (const json& condition :
       node.value(json::json_pointer("/status/conditions"), json::array())) {
    if (condition.value("type", "") == "Ready") {
      info.ready = condition.value("status", "") == "True";
    }
  }
  return info;
}

}  // namespace landlord::controllers
