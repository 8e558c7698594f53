#pragma once

// What the controllers keep of a Node in the informer cache: its labels, GPU
// product and count (as NVIDIA GPU Feature Discovery reports them), whether it is
// Ready and schedulable, and its taints.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "landlord/controllers/projections/label_set.h"

namespace landlord::controllers {

struct NodeTaint {
  std::string key;
  std::string value;
  std::string effect;
  bool operator==(const NodeTaint&) const = default;
};

struct NodeInfo {
  LabelSet labels;
  std::string product;    // nvidia.com/gpu.product label
  std::int64_t gpus = 0;  // capacity nvidia.com/gpu (falls back to the gpu.count label)
  bool unschedulable = false;
  bool ready = false;
  std::vector<NodeTaint> taints;           // all of them, so a taint patch keeps the others
  std::optional<std::string> tenantTaint;  // value of landlord.dev/tenant:NoSchedule
  // Equal projections wake no handler (the informer skips them): a kubelet's status
  // heartbeat changes nothing here.
  bool operator==(const NodeInfo&) const = default;
};

// The informer's projection of a Node.
NodeInfo projectNode(const nlohmann::json& node);

}  // namespace landlord::controllers
