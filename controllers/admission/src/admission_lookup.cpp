#include "admission_lookup.h"

#include <algorithm>

#include "landlord/operator/base/errors.h"

namespace landlord::controllers::admission {

std::optional<json> readFromServer(const AdmissionCaches& caches, const kube::ResourceRef& resource,
                                   const std::string& ns, const std::string& name) {
  if (!caches.server) {
    return std::nullopt;
  }
  try {
    return caches.server->get(resource, ns, name);
  } catch (const kube::KubeError&) {
    // Not found, or no answer: the cache's word stands, and the message says what
    // the cache holds.
    return std::nullopt;
  }
}

std::optional<json> lookup(const AdmissionCaches& caches, const JsonLister& cache,
                           const kube::ResourceRef& resource, const std::string& ns,
                           const std::string& name) {
  if (const JsonLister::Ptr cached = cache.get(kube::objectKey(ns, name))) {
    return cached->value;
  }
  return readFromServer(caches, resource, ns, name);
}

std::optional<std::string> tenantOwning(const AdmissionCaches& caches, const std::string& ns) {
  if (auto owner = tenantOwningNamespace(caches.tenants, ns)) {
    return owner;
  }
  if (!caches.server) {
    return std::nullopt;
  }
  std::vector<json> tenants;
  try {
    tenants = kube::listAll(*caches.server, api::tenants(), "").items;
  } catch (const kube::KubeError&) {
    return std::nullopt;
  }
  std::sort(tenants.begin(), tenants.end(), [](const json& a, const json& b) {
    return stringAt(a, json::json_pointer("/metadata/name")) <
           stringAt(b, json::json_pointer("/metadata/name"));
  });
  for (const json& tenant : tenants) {
    if (listsNamespace(tenant, ns)) {
      return stringAt(tenant, json::json_pointer("/metadata/name"));
    }
  }
  return std::nullopt;
}

}  // namespace landlord::controllers::admission
