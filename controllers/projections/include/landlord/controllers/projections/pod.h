#pragma once

// What the controllers keep of a Pod in the informer cache, and the index that
// finds a node's pods.

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "landlord/operator/cache/store.h"

namespace landlord::controllers {

struct PodInfo {
  std::string nodeName;
  std::string phase;
  bool terminating = false;
  bool daemonSet = false;
  std::map<std::string, std::string> labels;
};

// The informer's projection of a Pod.
PodInfo projectPod(const nlohmann::json& pod);

// Pod index by spec.nodeName.
inline constexpr const char* kPodNodeIndex = "nodeName";
kube::IndexFunc podNodeIndexer();

}  // namespace landlord::controllers
