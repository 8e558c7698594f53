#include "landlord/operator/client/resource.h"

#include <cpprest/base_uri.h>

namespace landlord::kube {

// Built with append: GCC 12 at -O3 warns falsely (-Wrestrict) on
// literal + temporary string concatenations.
std::string GroupVersionResource::apiVersion() const {
  if (group.empty()) {
    return version;
  }
  std::string out = group;
  out.append("/").append(version);
  return out;
}

std::string GroupVersionResource::basePath() const {
  std::string out;
  if (group.empty()) {
    out.append("/api/").append(version);
  } else {
    out.append("/apis/").append(group).append("/").append(version);
  }
  return out;
}

std::string GroupVersionResource::displayName() const {
  if (group.empty()) {
    return resource;
  }
  std::string out = resource;
  out.append(".").append(group);
  return out;
}

std::string encodeQueryValue(std::string_view value) {
  return web::uri::encode_data_string(std::string(value));
}

std::string resourcePath(const GroupVersionResource& resource, std::string_view ns,
                         std::string_view name, std::string_view subresource) {
  std::string path = resource.basePath();
  if (resource.namespaced && !ns.empty()) {
    path.append("/namespaces/").append(encodeQueryValue(ns));
  }
  path.append("/").append(resource.resource);
  if (!name.empty()) {
    path.append("/").append(encodeQueryValue(name));
    if (!subresource.empty()) {
      path.append("/").append(subresource);
    }
  }
  return path;
}

std::string objectKey(std::string_view ns, std::string_view name) {
  if (ns.empty()) {
    return std::string(name);
  }
  std::string key;
  key.reserve(ns.size() + 1 + name.size());
  key.append(ns).append("/").append(name);
  return key;
}

namespace resources {
GroupVersionResource namespaces() {
  return {"", "v1", "namespaces", false, "Namespace"};
}
GroupVersionResource nodes() {
  return {"", "v1", "nodes", false, "Node"};
}
GroupVersionResource pods() {
  return {"", "v1", "pods", true, "Pod"};
}
GroupVersionResource configMaps() {
  return {"", "v1", "configmaps", true, "ConfigMap"};
}
GroupVersionResource secrets() {
  return {"", "v1", "secrets", true, "Secret"};
}
GroupVersionResource services() {
  return {"", "v1", "services", true, "Service"};
}
GroupVersionResource serviceAccounts() {
  return {"", "v1", "serviceaccounts", true, "ServiceAccount"};
}
GroupVersionResource deployments() {
  return {"apps", "v1", "deployments", true, "Deployment"};
}
GroupVersionResource leases() {
  return {"coordination.k8s.io", "v1", "leases", true, "Lease"};
}
GroupVersionResource events() {
  return {"events.k8s.io", "v1", "events", true, "Event"};
}
GroupVersionResource podDisruptionBudgets() {
  return {"policy", "v1", "poddisruptionbudgets", true, "PodDisruptionBudget"};
}
GroupVersionResource customResourceDefinitions() {
  return {"apiextensions.k8s.io", "v1", "customresourcedefinitions", false,
          "CustomResourceDefinition"};
}
}  // namespace resources

}  // namespace landlord::kube
