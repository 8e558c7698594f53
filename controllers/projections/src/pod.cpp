// The Pod projection (node, phase, termination, DaemonSet) and its indexes.
#include "landlord/controllers/projections/pod.h"

namespace landlord::controllers {

using nlohmann::json;

PodInfo projectPod(const json& pod) {
  PodInfo info;
  info.nodeName = pod.value(json::json_pointer("/spec/nodeName"), "");
  info.phase = pod.value(json::json_pointer("/status/phase"), "");
  const json& metadata = pod.value("metadata", json::object());
  info.terminating = metadata.contains("deletionTimestamp");
  for (const json& owner : metadata.value("ownerReferences", json::array())) {
    if (owner.value("kind", "") == "DaemonSet" && owner.value("controller", false)) {
      info.daemonSet = owner.value("name", "");
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

}  // namespace landlord::controllers
