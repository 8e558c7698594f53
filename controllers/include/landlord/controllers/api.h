#pragma once

// The landlord.dev/v1alpha1 resources and the cached projections of the built-in
// objects the controllers read (nodes and pods), plus small helpers over the JSON of
// our own objects. Names follow crds/ (the contract).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/operator/cache/store.h"
#include "landlord/operator/client/client.h"
#include "landlord/operator/client/resource.h"

namespace landlord::controllers {

using nlohmann::json;

namespace api {
inline constexpr std::string_view kGroupVersion = "landlord.dev/v1alpha1";
kube::GroupVersionResource gpuPools();
kube::GroupVersionResource tenants();
kube::GroupVersionResource poolLeases();
kube::GroupVersionResource placements();
}  // namespace api

// The finalizer a PoolLease carries so that deleting it releases its nodes first.
inline constexpr std::string_view kLeaseFinalizer = "landlord.dev/release-nodes";

struct NodeTaint {
  std::string key;
  std::string value;
  std::string effect;
  bool operator==(const NodeTaint&) const = default;
};

// What the controllers keep of a Node.
struct NodeInfo {
  std::map<std::string, std::string> labels;
  std::string product;    // nvidia.com/gpu.product label
  std::int64_t gpus = 0;  // capacity nvidia.com/gpu (falls back to the gpu.count label)
  bool unschedulable = false;
  bool ready = false;
  std::vector<NodeTaint> taints;           // all of them, so a taint patch keeps the others
  std::optional<std::string> tenantTaint;  // value of landlord.dev/tenant:NoSchedule
};
NodeInfo projectNode(const json& node);

// What the controllers keep of a Pod.
struct PodInfo {
  std::string nodeName;
  std::string phase;
  bool terminating = false;
  bool daemonSet = false;
  std::map<std::string, std::string> labels;
};
PodInfo projectPod(const json& pod);

// Pod index by spec.nodeName.
inline constexpr const char* kPodNodeIndex = "nodeName";
kube::IndexFunc podNodeIndexer();

// Wall-clock time for status timestamps and drain deadlines (the runtime's Clock is
// monotonic). Tests pass a fixed function.
using WallClock = std::function<std::chrono::system_clock::time_point()>;
WallClock systemWallClock();
std::string formatTime(std::chrono::system_clock::time_point time);  // RFC 3339, UTC, seconds
std::optional<std::chrono::system_clock::time_point> parseTime(std::string_view text);

// A metav1.Condition. setCondition keeps lastTransitionTime when the status is
// unchanged; returns true when anything changed.
struct Condition {
  std::string type;
  std::string status;  // "True", "False", "Unknown"
  std::string reason;
  std::string message;
};
bool setCondition(json& status, const Condition& condition, std::int64_t observedGeneration,
                  std::string_view now);
std::optional<Condition> findCondition(const json& status, std::string_view type);

// Small readers over our objects' JSON; absent fields give the default.
std::string stringAt(const json& object, const json::json_pointer& pointer);
std::int64_t intAt(const json& object, const json::json_pointer& pointer);
std::int64_t generationOf(const json& object);

// Status equality ignoring lastTransitionTime churn is not needed: conditions keep
// their time when unchanged, so plain equality tells whether a write is needed.
bool sameStatus(const json& a, const json& b);

// Options for a write to the status subresource.
kube::UpdateOptions statusUpdate();

}  // namespace landlord::controllers
