// The admission webhooks on their paths, and what the policies share about a request.
#include "landlord/controllers/admission/admission_policies.h"

#include "admission_request.h"
#include "pod_json.h"

namespace landlord::controllers {

namespace admission {

std::string inQuotes(std::string_view text) {
  // Appended, not concatenated: GCC 12 at -O3 warns (-Wrestrict) on "\"" + string.
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted += '"';
  quoted += text;
  quoted += '"';
  return quoted;
}

std::string namespaceOf(const kube::AdmissionRequest& request) {
  if (!request.namespace_.empty()) {
    return request.namespace_;
  }
  return api::decodeMetadata(request.object).namespace_;
}

std::string describePod(const kube::AdmissionRequest& request) {
  std::string name = textAt(request.object, "/metadata/name");
  if (name.empty()) {
    name = request.name;
  }
  if (name.empty()) {
    name = textAt(request.object, "/metadata/generateName") + "*";
  }
  return "pod " + inQuotes(name) + " in namespace " + inQuotes(namespaceOf(request));
}

namespace {

bool isPod(const kube::AdmissionRequest& request) {
  return request.kind.group.empty() && request.kind.kind == "Pod";
}

}  // namespace

bool isPodCreate(const kube::AdmissionRequest& request) {
  return request.operation == "CREATE" && isPod(request);
}

bool isPodUpdate(const kube::AdmissionRequest& request) {
  return request.operation == "UPDATE" && isPod(request);
}

kube::AdmissionResponse malformedObject(const kube::AdmissionRequest& request) {
  return kube::AdmissionResponse::deny("request.object: a " + request.operation + " of " +
                                           request.kind.kind + " " + inQuotes(request.name) +
                                           " carries no object",
                                       400, "BadRequest");
}

kube::AdmissionResponse malformedOldObject(const kube::AdmissionRequest& request) {
  return kube::AdmissionResponse::deny("request.oldObject: an UPDATE of " + request.kind.kind +
                                           " " + inQuotes(request.name) +
                                           " carries no object it replaces",
                                       400, "BadRequest");
}

}  // namespace admission

namespace {

using Policy = kube::AdmissionResponse (*)(const AdmissionCaches&, const kube::AdmissionRequest&);

kube::AdmissionResponse malformed(const kube::AdmissionRequest& request, const char* what) {
  return kube::AdmissionResponse::deny(
      "malformed " + request.kind.kind + " " + admission::inQuotes(request.name) + ": " + what, 400,
      "BadRequest");
}

// A field of an unexpected JSON type is the request's fault: answer 400 naming it
// rather than letting the exception reach the server as a 500.
kube::AdmissionHandler guarded(const AdmissionCaches& caches, Policy policy) {
  return [caches, policy](const kube::AdmissionRequest& request) {
    try {
      return policy(caches, request);
    } catch (const api::DecodeError& error) {
      return malformed(request, error.what());  // a landlord object, by the typed API
    } catch (const nlohmann::json::exception& error) {
      return malformed(request, error.what());  // a pod
    }
  };
}

}  // namespace

std::vector<kube::AdmissionWebhook> admissionWebhooks(const AdmissionCaches& caches) {
  return {
      kube::AdmissionWebhook{std::string(kMutatePodPath), guarded(caches, mutatePod)},
      kube::AdmissionWebhook{std::string(kValidatePodPath), guarded(caches, validatePod)},
      kube::AdmissionWebhook{std::string(kValidateLandlordPath),
                             guarded(caches, validateLandlordObject)},
  };
}

}  // namespace landlord::controllers
