// landlord's marks on a Node: read from the projection, written in one conditional merge patch.
#include "landlord/controllers/ownership/node_marks.h"

#include <string>
#include <vector>

#include "landlord/api/v1alpha1/names.h"

namespace landlord::controllers {

using nlohmann::json;

namespace {

bool isLandlordTaint(const TaintView& taint) {
  return taint.key == api::kTenantTaintKey || taint.key == api::kHoldTaintKey;
}

void putLabel(json& patch, std::string_view key, const std::optional<std::string>& now,
              const std::optional<std::string>& wanted) {
  if (now == wanted) {
    return;
  }
  patch["metadata"]["labels"][std::string(key)] = wanted ? json(*wanted) : json(nullptr);
}

// The node's taints with landlord's replaced by the target's: others stay in place,
// landlord's come last (tenant, then hold).
std::vector<NodeTaint> taintsFor(const NodeInfo& node, const placement::NodeMarks& target) {
  std::vector<NodeTaint> taints;
  for (const TaintView& taint : node.taints) {
    if (!isLandlordTaint(taint)) {
      taints.push_back(
          {std::string(taint.key), std::string(taint.value), std::string(taint.effect)});
    }
  }
  for (const placement::MarkTaint& taint : target.tenantTaints) {
    taints.push_back(NodeTaint{std::string(api::kTenantTaintKey), taint.value, taint.effect});
  }
  for (const placement::MarkTaint& taint : target.holdTaints) {
    taints.push_back(NodeTaint{std::string(api::kHoldTaintKey), taint.value, taint.effect});
  }
  return taints;
}

}  // namespace

placement::NodeMarks marksOf(const NodeInfo& node) {
  placement::NodeMarks marks;
  marks.pool = node.label(api::kPoolLabel);
  marks.gpuModel = node.label(api::kGpuModelLabel);
  marks.tenant = node.label(api::kTenantLabel);
  for (const TaintView& taint : node.taints) {
    if (taint.key == api::kTenantTaintKey) {
      marks.tenantTaints.push_back({std::string(taint.value), std::string(taint.effect)});
    } else if (taint.key == api::kHoldTaintKey) {
      marks.holdTaints.push_back({std::string(taint.value), std::string(taint.effect)});
    }
  }
  return marks;
}

std::optional<json> ownershipPatch(const kube::Cached<NodeInfo>& node,
                                   const placement::NodeMarks& target) {
  const placement::NodeMarks now = marksOf(node.value);
  if (now == target) {
    return std::nullopt;
  }
  json patch = json::object();
  putLabel(patch, api::kPoolLabel, now.pool, target.pool);
  putLabel(patch, api::kGpuModelLabel, now.gpuModel, target.gpuModel);
  putLabel(patch, api::kTenantLabel, now.tenant, target.tenant);
  if (now.tenantTaints != target.tenantTaints || now.holdTaints != target.holdTaints) {
    json list = json::array();
    for (const NodeTaint& taint : taintsFor(node.value, target)) {
      json entry = {{"key", taint.key}, {"effect", taint.effect}};
      if (!taint.value.empty()) {
        entry["value"] = taint.value;
      }
      list.push_back(std::move(entry));
    }
    patch["spec"]["taints"] = std::move(list);
  }
  patch["metadata"]["resourceVersion"] = node.meta.resourceVersion();
  return patch;
}

bool writeMarks(kube::Client& client, const kube::Cached<NodeInfo>& node,
                const placement::NodeMarks& target) {
  const std::optional<json> patch = ownershipPatch(node, target);
  if (!patch) {
    return false;
  }
  kube::PatchOptions options;
  options.decodeResult = false;  // the node's watch brings the written version
  client.patch(kube::resources::nodes(), "", node.meta.name(), kube::PatchType::Merge, *patch,
               options);
  return true;
}

}  // namespace landlord::controllers
