// The scheduling fields a Pod UPDATE changes, for /validate-v1-pod to judge alone.
#include "pod_scheduling_change.h"

#include <algorithm>
#include <string>

#include "landlord/api/v1alpha1/names.h"
#include "pod_json.h"

namespace landlord::controllers::admission {

using nlohmann::json;

namespace {

// The value at `pointer`, or null when absent.
json valueAt(const json& pod, const json::json_pointer& pointer) {
  return pod.contains(pointer) ? pod[pointer] : json();
}

// Copies `pointer` from `after` into `judged` when the UPDATE set or changed it. A
// field the UPDATE removed widens where the pod may go, which the taints still
// bound, and Kubernetes refuses removing these fields anyway.
void copyIfChanged(const json& before, const json& after, const json::json_pointer& pointer,
                   json& judged) {
  const json now = valueAt(after, pointer);
  if (!now.is_null() && now != valueAt(before, pointer)) {
    judged[pointer] = now;
  }
}

// The tolerations of `after` that `before` does not have, as Kubernetes allows
// only additions (and tolerationSeconds changes, which read as new tolerations).
json addedTolerations(const json& before, const json& after) {
  const json old = valueAt(before, json::json_pointer("/spec/tolerations"));
  const json now = valueAt(after, json::json_pointer("/spec/tolerations"));
  json added = json::array();
  if (!now.is_array()) {
    return added;
  }
  for (const json& toleration : now) {
    if (!old.is_array() || std::find(old.begin(), old.end(), toleration) == old.end()) {
      added.push_back(toleration);
    }
  }
  return added;
}

}  // namespace

json changedScheduling(const json& before, const json& after) {
  json judged = {{"metadata", after.value("metadata", json::object())}, {"spec", json::object()}};
  if (json added = addedTolerations(before, after); !added.empty()) {
    judged["spec"]["tolerations"] = std::move(added);
  }
  copyIfChanged(before, after, json::json_pointer("/spec/nodeName"), judged);
  copyIfChanged(before, after,
                json::json_pointer("/spec/nodeSelector") / std::string(api::kPoolLabel), judged);
  copyIfChanged(before, after, kNodeSelectorTerms, judged);
  return judged;
}

}  // namespace landlord::controllers::admission
