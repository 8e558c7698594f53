// Reads for the admission policies: the cache first, the API server when the cache lacks it.
#include "admission_lookup.h"

#include <algorithm>

namespace landlord::controllers::admission {

std::optional<std::string> tenantOwning(const AdmissionCaches& caches, const std::string& ns) {
  if (auto owner = tenantOwningNamespace(caches.tenants, ns)) {
    return owner;
  }
  if (!caches.server) {
    return std::nullopt;
  }
  std::vector<api::Tenant> tenants;
  try {
    tenants = api::list<api::Tenant>(*caches.server);
  } catch (const kube::KubeError&) {
    return std::nullopt;
  }
  std::sort(tenants.begin(), tenants.end(), [](const api::Tenant& a, const api::Tenant& b) {
    return a.metadata.name < b.metadata.name;
  });
  for (const api::Tenant& tenant : tenants) {
    if (api::listsNamespace(tenant, ns)) {
      return tenant.metadata.name;
    }
  }
  return std::nullopt;
}

}  // namespace landlord::controllers::admission
