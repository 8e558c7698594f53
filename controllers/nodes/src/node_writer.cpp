#include "landlord/controllers/nodes/node_writer.h"

#include <algorithm>

namespace landlord::controllers {

std::optional<json> nodePatch(const kube::Cached<NodeInfo>& node,
                              const placement::NodeChange& change) {
  const NodeInfo& info = node.value;
  json patch = json::object();
  for (const auto& [key, value] : change.setLabels) {
    auto it = info.labels.find(key);
    if (it == info.labels.end() || it->second != value) {
      patch["metadata"]["labels"][key] = value;
    }
  }
  for (const std::string& key : change.removeLabels) {
    if (info.labels.contains(key)) {
      patch["metadata"]["labels"][key] = nullptr;
    }
  }
  if (change.unschedulable && *change.unschedulable != info.unschedulable) {
    patch["spec"]["unschedulable"] = *change.unschedulable;
  }
  std::vector<NodeTaint> taints = info.taints;
  for (const placement::Taint& remove : change.removeTaints) {
    std::erase_if(taints, [&](const NodeTaint& t) {
      return t.key == remove.key && t.value == remove.value && t.effect == remove.effect;
    });
  }
  if (change.addTaint) {
    // One tenant taint per node: a new tenant's replaces the old one.
    std::erase_if(taints, [&](const NodeTaint& t) {
      return t.key == change.addTaint->key && t.effect == change.addTaint->effect;
    });
    taints.push_back(
        NodeTaint{change.addTaint->key, change.addTaint->value, change.addTaint->effect});
  }
  if (taints != info.taints) {
    json list = json::array();
    for (const NodeTaint& t : taints) {
      json entry = {{"key", t.key}, {"effect", t.effect}};
      if (!t.value.empty()) {
        entry["value"] = t.value;
      }
      list.push_back(std::move(entry));
    }
    patch["spec"]["taints"] = std::move(list);
    patch["metadata"]["resourceVersion"] = node.meta.resourceVersion;
  }
  if (patch.empty()) {
    return std::nullopt;
  }
  return patch;
}

bool applyNodeChange(kube::Client& client, const kube::Cached<NodeInfo>& node,
                     const placement::NodeChange& change) {
  std::optional<json> patch = nodePatch(node, change);
  if (!patch) {
    return false;
  }
  client.patch(kube::resources::nodes(), "", node.meta.name, kube::PatchType::Merge, *patch);
  return true;
}

}  // namespace landlord::controllers
