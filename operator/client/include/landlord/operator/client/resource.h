#pragma once

#include <string>
#include <string_view>

namespace landlord::kube {

// Addresses a kind of resource on the API server. Core resources have an
// empty group.
struct GroupVersionResource {
  std::string group;     // "", "apps", "coordination.k8s.io", "landlord.dev"
  std::string version;   // "v1", "v1alpha1"
  std::string resource;  // plural, lower case: "nodes", "gpupools"
  bool namespaced = true;
  std::string kind;  // "Node"; informative, used when building objects

  // "v1" or "apps/v1".
  std::string apiVersion() const;
  // "/api/v1" or "/apis/apps/v1".
  std::string basePath() const;
  // "nodes" or "deployments.apps", as kubectl prints it.
  std::string displayName() const;

  bool operator==(const GroupVersionResource&) const = default;
};

using ResourceRef = GroupVersionResource;

// The URL path of a collection (empty name) or an object, optionally a
// subresource ("status", "eviction", "scale"). ns is ignored for cluster-scoped
// resources; an empty ns on a namespaced resource means all namespaces (only
// valid for list and watch). Segments are percent-encoded.
std::string resourcePath(const GroupVersionResource& resource, std::string_view ns,
                         std::string_view name = {}, std::string_view subresource = {});

// Percent-encodes one query parameter value (RFC 3986 unreserved kept).
std::string encodeQueryValue(std::string_view value);

// "namespace/name" for namespaced objects, "name" otherwise: the key used by
// informer stores and work queues (client-go's MetaNamespaceKeyFunc).
std::string objectKey(std::string_view ns, std::string_view name);

// Well-known resources.
namespace resources {
GroupVersionResource namespaces();
GroupVersionResource nodes();
GroupVersionResource pods();
GroupVersionResource configMaps();
GroupVersionResource secrets();
GroupVersionResource services();
GroupVersionResource serviceAccounts();
GroupVersionResource deployments();
GroupVersionResource leases();
GroupVersionResource events();  // events.k8s.io/v1
GroupVersionResource podDisruptionBudgets();
GroupVersionResource customResourceDefinitions();
}  // namespace resources

}  // namespace landlord::kube
