#pragma once

// Reads for the admission policies that do not refuse on a lagging cache's word
// (private to the controllers library). The cache answers first; when it lacks what
// a request names, the API server is asked, because an object created in the same
// `kubectl apply` as the one under review may not have reached the informer yet.

#include <optional>
#include <string>

#include "landlord/api/v1alpha1/client.h"
#include "landlord/controllers/admission/admission_policies.h"
#include "landlord/operator/base/errors.h"

namespace landlord::controllers::admission {

// The object from the API server (a quorum read), or nullopt when it does not
// exist, the server cannot be asked (caches.server is null) or does not answer.
template <class Object>
std::optional<Object> readFromServer(const AdmissionCaches& caches, const std::string& ns,
                                     const std::string& name) {
  if (!caches.server) {
    return std::nullopt;
  }
  try {
    return api::get<Object>(*caches.server, ns, name);
  } catch (const kube::KubeError&) {
    // Not found, or no answer: the cache's word stands, and the message says what
    // the cache holds.
    return std::nullopt;
  }
}

// The object from `cache`, else from the API server.
template <class Object>
std::optional<Object> lookup(const AdmissionCaches& caches, const kube::Lister<Object>& cache,
                             const std::string& ns, const std::string& name) {
  if (const auto cached = cache.get(kube::objectKey(ns, name))) {
    return cached->value;
  }
  return readFromServer<Object>(caches, ns, name);
}

// The Tenant owning `ns` (as tenantOwningNamespace), from the cache, else from a
// fresh list of Tenants.
std::optional<std::string> tenantOwning(const AdmissionCaches& caches, const std::string& ns);

}  // namespace landlord::controllers::admission
