#include "landlord/controllers/api.h"

#include <ctime>
#include <iomanip>
#include <sstream>

#include "landlord/placement/labels.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

namespace api {
namespace {
kube::GroupVersionResource landlordResource(std::string resource, bool namespaced,
                                            std::string kind) {
  return kube::GroupVersionResource{"landlord.dev", "v1alpha1", std::move(resource), namespaced,
                                    std::move(kind)};
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
}  // namespace api

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

NodeInfo projectNode(const json& node) {
  NodeInfo info;
  const json& metadata = node.value("metadata", json::object());
  if (metadata.contains("labels") && metadata["labels"].is_object()) {
    for (const auto& [key, value] : metadata["labels"].items()) {
      if (value.is_string()) {
        info.labels.emplace(key, value.get<std::string>());
      }
    }
  }
  if (auto it = info.labels.find(std::string(placement::kGpuProductLabel));
      it != info.labels.end()) {
    info.product = it->second;
  }
  const json capacity = node.value(json::json_pointer("/status/capacity"), json::object());
  if (capacity.contains(std::string(placement::kGpuResource))) {
    info.gpus = parseCount(capacity[std::string(placement::kGpuResource)]);
  } else if (auto it = info.labels.find(std::string(placement::kGpuCountLabel));
             it != info.labels.end()) {
    info.gpus = parseCount(json(it->second));
  }
  const json spec = node.value("spec", json::object());
  info.unschedulable = spec.value("unschedulable", false);
  for (const json& taint : spec.value("taints", json::array())) {
    NodeTaint t{taint.value("key", ""), taint.value("value", ""), taint.value("effect", "")};
    if (t.key == placement::kTenantTaintKey && t.effect == placement::kTenantTaintEffect) {
      info.tenantTaint = t.value;
    }
    info.taints.push_back(std::move(t));
  }
  for (const json& condition :
       node.value(json::json_pointer("/status/conditions"), json::array())) {
    if (condition.value("type", "") == "Ready") {
      info.ready = condition.value("status", "") == "True";
    }
  }
  return info;
}

PodInfo projectPod(const json& pod) {
  PodInfo info;
  info.nodeName = pod.value(json::json_pointer("/spec/nodeName"), "");
  info.phase = pod.value(json::json_pointer("/status/phase"), "");
  const json& metadata = pod.value("metadata", json::object());
  info.terminating = metadata.contains("deletionTimestamp");
  for (const json& owner : metadata.value("ownerReferences", json::array())) {
    if (owner.value("kind", "") == "DaemonSet") {
      info.daemonSet = true;
    }
  }
  if (metadata.contains("labels") && metadata["labels"].is_object()) {
    for (const auto& [key, value] : metadata["labels"].items()) {
      if (value.is_string()) {
        info.labels.emplace(key, value.get<std::string>());
      }
    }
  }
  return info;
}

kube::IndexFunc podNodeIndexer() {
  return [](const json& pod) -> std::vector<std::string> {
    std::string node = pod.value(json::json_pointer("/spec/nodeName"), "");
    if (node.empty()) {
      return {};
    }
    return {node};
  };
}

WallClock systemWallClock() {
  return [] { return std::chrono::system_clock::now(); };
}

std::string formatTime(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::ostringstream out;
  out << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
  return out.str();
}

std::optional<std::chrono::system_clock::time_point> parseTime(std::string_view text) {
  std::tm utc{};
  std::istringstream in{std::string(text)};
  in >> std::get_time(&utc, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&utc));
}

bool setCondition(json& status, const Condition& condition, std::int64_t observedGeneration,
                  std::string_view now) {
  json& conditions = status["conditions"];
  if (!conditions.is_array()) {
    conditions = json::array();
  }
  json wanted = {{"type", condition.type},
                 {"status", condition.status},
                 {"reason", condition.reason},
                 {"message", condition.message.substr(0, 32768)},
                 {"observedGeneration", observedGeneration},
                 {"lastTransitionTime", std::string(now)}};
  for (json& existing : conditions) {
    if (existing.value("type", "") != condition.type) {
      continue;
    }
    if (existing.value("status", "") == condition.status) {
      wanted["lastTransitionTime"] = existing.value("lastTransitionTime", std::string(now));
    }
    const bool changed = existing != wanted;
    existing = std::move(wanted);
    return changed;
  }
  conditions.push_back(std::move(wanted));
  return true;
}

std::optional<Condition> findCondition(const json& status, std::string_view type) {
  for (const json& existing : status.value("conditions", json::array())) {
    if (existing.value("type", "") == type) {
      return Condition{existing.value("type", ""), existing.value("status", ""),
                       existing.value("reason", ""), existing.value("message", "")};
    }
  }
  return std::nullopt;
}

std::string stringAt(const json& object, const json::json_pointer& pointer) {
  if (!object.contains(pointer) || !object[pointer].is_string()) {
    return {};
  }
  return object[pointer].get<std::string>();
}

std::int64_t intAt(const json& object, const json::json_pointer& pointer) {
  if (!object.contains(pointer) || !object[pointer].is_number_integer()) {
    return 0;
  }
  return object[pointer].get<std::int64_t>();
}

std::int64_t generationOf(const json& object) {
  return intAt(object, json::json_pointer("/metadata/generation"));
}

bool sameStatus(const json& a, const json& b) {
  return a == b;
}

kube::UpdateOptions statusUpdate() {
  kube::UpdateOptions options;
  options.subresource = "status";
  return options;
}

}  // namespace landlord::controllers
