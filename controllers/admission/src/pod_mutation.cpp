// /mutate-v1-pod: pins a pod that opts in to a Placement onto the pools it is bound
// to, and lets it past its tenant's taint there.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "admission_lookup.h"
#include "admission_request.h"
#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/admission/admission_policies.h"
#include "pod_json.h"

namespace landlord::controllers {

using admission::inQuotes;
using nlohmann::json;

namespace {

const json::json_pointer kTolerations("/spec/tolerations");

// The Placement a pod opts in to (label landlord.dev/placement), or "".
std::string placementOf(const json& pod) {
  const std::map<std::string, std::string> labels = api::decodeMetadata(pod).labels;
  const auto label = labels.find(std::string(api::kPlacementLabel));
  return label == labels.end() ? "" : label->second;
}

bool isObjectAt(const json& document, const json::json_pointer& pointer) {
  return document.contains(pointer) && document[pointer].is_object();
}

// One RFC 6902 "add" that sets `path` to `value`, creating the parents `document`
// lacks: "add" fails when the parent does not exist, so the value is wrapped in
// each missing parent and added at the deepest one that does. Tokens are escaped
// (~1 for '/') by json_pointer::to_string.
void addCreatingParents(const json& document, const json::json_pointer& path, json value,
                        json& patch) {
  json::json_pointer target = path;
  while (!target.parent_pointer().empty() && !isObjectAt(document, target.parent_pointer())) {
    value = json{{target.back(), std::move(value)}};
    target = target.parent_pointer();
  }
  patch.push_back({{"op", "add"}, {"path", target.to_string()}, {"value", std::move(value)}});
}

void appendTo(const json::json_pointer& array, json value, json& patch) {
  patch.push_back(
      {{"op", "add"}, {"path", (array / "-").to_string()}, {"value", std::move(value)}});
}

// Kubernetes: a term with neither matchExpressions nor matchFields matches no node;
// ANDing a requirement into it would make it match the pools, so it is left alone.
bool isEmptyTerm(const json& term) {
  const auto empty = [&](const char* field) {
    return !term.contains(field) || !term[field].is_array() || term[field].empty();
  };
  return empty("matchExpressions") && empty("matchFields");
}

// The node requirements a placed pod must meet: its pools and, when the status
// records them, the GPU models reserved there.
json requirementsOf(const std::vector<std::string>& pools, const std::vector<std::string>& models) {
  json requirements =
      json::array({{{"key", std::string(api::kPoolLabel)}, {"operator", "In"}, {"values", pools}}});
  if (!models.empty()) {
    requirements.push_back(
        {{"key", std::string(api::kGpuModelLabel)}, {"operator", "In"}, {"values", models}});
  }
  return requirements;
}

// Required node affinity terms are ORed and their expressions ANDed, so every
// requirement joins every term; the user's own requirements stay as they are. A
// requirement already in a term is not added again: reinvocation is a no-op.
void requireNodes(const json& pod, const json& requirements, json& patch) {
  const json terms = pod.contains(kNodeSelectorTerms) ? pod[kNodeSelectorTerms] : json();
  if (!terms.is_array() || terms.empty()) {
    addCreatingParents(pod, kNodeSelectorTerms, json::array({{{"matchExpressions", requirements}}}),
                       patch);
    return;
  }
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const json& term = terms[i];
    if (!term.is_object() || isEmptyTerm(term)) {
      continue;
    }
    const json::json_pointer expressions = kNodeSelectorTerms / i / "matchExpressions";
    if (!term.contains("matchExpressions") || !term["matchExpressions"].is_array()) {
      addCreatingParents(pod, expressions, requirements, patch);
      continue;
    }
    const json& existing = term["matchExpressions"];
    for (const json& requirement : requirements) {
      if (std::find(existing.begin(), existing.end(), requirement) == existing.end()) {
        appendTo(expressions, requirement, patch);
      }
    }
  }
}

void tolerateTaint(const json& pod, const NodeTaint& taint, json& patch) {
  const json toleration = {
      {"key", taint.key}, {"operator", "Equal"}, {"value", taint.value}, {"effect", taint.effect}};
  if (!pod.contains(kTolerations) || !pod[kTolerations].is_array()) {
    addCreatingParents(pod, kTolerations, json::array({toleration}), patch);
    return;
  }
  const json& tolerations = pod[kTolerations];
  if (std::none_of(tolerations.begin(), tolerations.end(),
                   [&](const json& existing) { return tolerates(existing, taint); })) {
    appendTo(kTolerations, toleration, patch);
  }
}

struct Binding {
  std::vector<std::string> pools;   // in status order
  std::vector<std::string> models;  // sorted, each once; empty when no entry lists any
};

// The pools a Placement is bound to, and the union of the GPU models (catalog
// names, as the GPUPool controller labels member nodes) reserved on them: in a
// mixed pool a tenant qualified only for hopper is reserved only its hopper
// models, and its pods must not land on the pool's Blackwell nodes.
Binding bindingOf(const api::Placement& placementObject) {
  Binding binding;
  std::set<std::string> models;
  for (const api::PoolBinding& entry : placementObject.status.pools) {
    if (entry.name.empty()) {
      continue;
    }
    binding.pools.push_back(entry.name);
    for (const std::string& model : entry.models) {
      if (!model.empty()) {
        models.insert(model);
      }
    }
  }
  binding.models.assign(models.begin(), models.end());
  return binding;
}

// "Unplaceable: tenant acme holds no Active lease (NoActiveLease)", from the status.
std::string phaseAndReason(const api::Placement& placementObject) {
  const std::string phase =
      placementObject.status.phase.empty() ? "Pending" : placementObject.status.phase;
  const auto placed = api::findCondition(placementObject.status.conditions, api::kPlacedCondition);
  if (!placed || placed->message.empty()) {
    return phase + ": the placement controller has not bound it yet";
  }
  return phase + ": " + placed->message + " (" + placed->reason + ")";
}

}  // namespace

kube::AdmissionResponse mutatePod(const AdmissionCaches& caches,
                                  const kube::AdmissionRequest& request) {
  if (!admission::isPodCreate(request)) {
    return kube::AdmissionResponse::allow();
  }
  if (!request.object.is_object()) {
    return admission::malformedObject(request);
  }
  const std::string name = placementOf(request.object);
  if (name.empty()) {
    return kube::AdmissionResponse::allow();
  }
  const std::string ns = admission::namespaceOf(request);
  const std::string subject = "placement " + inQuotes(name) + " in namespace " + inQuotes(ns);
  const std::string admittedOnce = "pods labelled " + std::string(api::kPlacementLabel) + "=" +
                                   name + " are admitted once it is Bound";
  std::optional<api::Placement> found;
  if (const auto cached = caches.placements.get(kube::objectKey(ns, name))) {
    found = cached->value;
  }
  if (!found || found->status.phase != "Bound") {
    // Created or bound moments ago (the Placement and its pods applied together):
    // the cache may not have it, or its binding, yet. One read from the server.
    if (auto fresh = admission::readFromServer<api::Placement>(caches, ns, name)) {
      found = std::move(fresh);
    }
  }
  if (!found) {
    return kube::AdmissionResponse::deny(subject +
                                         " does not exist; create it, or remove the label " +
                                         std::string(api::kPlacementLabel) + " from the pod");
  }
  const api::Placement& placementObject = *found;
  const Binding binding = bindingOf(placementObject);
  const std::vector<std::string>& pools = binding.pools;
  if (placementObject.status.phase != "Bound" || pools.empty()) {
    return kube::AdmissionResponse::deny(subject + " is " + phaseAndReason(placementObject) + "; " +
                                         admittedOnce);
  }
  const std::optional<std::string> tenant = admission::tenantOwning(caches, ns);
  if (!tenant) {
    return kube::AdmissionResponse::deny(
        subject + " cannot admit pods: namespace " + inQuotes(ns) +
        " belongs to no Tenant, so no leased pool is its; add it to a Tenant's spec.namespaces");
  }
  // A binding made before a handover points at pools the tenant no longer holds;
  // the controller re-places it, and pods wait rather than pend on foreign nodes.
  const std::map<std::string, PoolHolder> holders = poolHolders(caches.pools, caches.leases);
  for (const std::string& pool : pools) {
    auto holder = holders.find(pool);
    if (holder == holders.end() || holder->second.tenant != *tenant) {
      const std::string now = holder == holders.end()
                                  ? "no lease holds it now"
                                  : "it is leased to tenant " + inQuotes(holder->second.tenant) +
                                        " (lease " + inQuotes(holder->second.lease) + ")";
      return kube::AdmissionResponse::deny(
          subject + " is bound to pool " + inQuotes(pool) + ", which tenant " + inQuotes(*tenant) +
          " no longer holds: " + now + "; it is being re-placed, and " + admittedOnce);
    }
  }
  kube::AdmissionResponse response = kube::AdmissionResponse::allow();
  // A status written before the controller recorded status.pools[].models lists
  // none: the pod is then pinned to its pools alone, as it was then, because a
  // gpu-model "In" with no values would match no node and leave the pod Pending.
  requireNodes(request.object, requirementsOf(pools, binding.models), response.patch);
  tolerateTaint(request.object, tenantTaint(*tenant), response.patch);
  return response;
}

}  // namespace landlord::controllers
