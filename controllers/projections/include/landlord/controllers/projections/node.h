#pragma once

// What the controllers keep of a Node in the informer cache: its labels, GPU
// product and count (as NVIDIA GPU Feature Discovery reports them), whether it is
// Ready and schedulable, and its taints.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/controllers/projections/label_set.h"
#include "landlord/controllers/projections/taint_list.h"

namespace landlord::controllers {

// Kept once per Node at fleet scale: what can be read off the labels and taints is
// read there, not stored twice.
struct NodeInfo {
  LabelSet labels;
  std::int64_t gpus = 0;  // capacity nvidia.com/gpu (falls back to the gpu.count label)
  bool unschedulable = false;
  bool ready = false;
  TaintList taints;  // all of them, so a taint patch keeps the others

  // A copy of one label's value, to compare or keep.
  std::optional<std::string> label(std::string_view key) const;
  // The nvidia.com/gpu.product label; empty when the node has none.
  std::string_view product() const;
  // The value of the landlord.dev/tenant:NoSchedule taint.
  std::optional<std::string_view> tenantTaint() const;
  // Equal projections wake no handler (the informer skips them): a kubelet's status
  // heartbeat changes nothing here.
  bool operator==(const NodeInfo&) const = default;
};

// The informer's projection of a Node.
NodeInfo projectNode(const nlohmann::json& node);

}  // namespace landlord::controllers
