#pragma once

// What the controllers keep of a Pod in the informer cache, and the index that
// finds a node's pods.

#include <nlohmann/json.hpp>
#include <string>

#include "landlord/operator/cache/store.h"

namespace landlord::controllers {

struct PodInfo {
  std::string nodeName;
  std::string phase;
  bool terminating = false;
  std::string daemonSet;  // the DaemonSet controlling the pod; empty when none
  bool operator==(const PodInfo&) const = default;  // equal projections wake no handler
};

// The informer's projection of a Pod.
PodInfo projectPod(const nlohmann::json& pod);

// Pod index by spec.nodeName.
inline constexpr const char* kPodNodeIndex = "nodeName";
kube::IndexFunc podNodeIndexer();
// Pod index by metadata.namespace (kube::namespaceIndexer), to find a namespace's
// pods when a Tenant claims or gives up the namespace.
inline constexpr const char* kPodNamespaceIndex = kube::kNamespaceIndex;

}  // namespace landlord::controllers
