#pragma once

// Reads for the admission policies that do not refuse on a lagging cache's word
// (private to the controllers library). The cache answers first; when it lacks what
// a request names, the API server is asked, because an object created in the same
// `kubectl apply` as the one under review may not have reached the informer yet.

#include <optional>
#include <string>

#include "landlord/controllers/admission/admission_policies.h"

namespace landlord::controllers::admission {

// The object from the API server (a quorum read), or nullopt when it does not
// exist, the server cannot be asked (caches.server is null) or does not answer.
std::optional<json> readFromServer(const AdmissionCaches& caches, const kube::ResourceRef& resource,
                                   const std::string& ns, const std::string& name);

// The object from `cache`, else from the API server.
std::optional<json> lookup(const AdmissionCaches& caches, const JsonLister& cache,
                           const kube::ResourceRef& resource, const std::string& ns,
                           const std::string& name);

// The Tenant owning `ns` (as tenantOwningNamespace), from the cache, else from a
// fresh list of Tenants.
std::optional<std::string> tenantOwning(const AdmissionCaches& caches, const std::string& ns);

}  // namespace landlord::controllers::admission
