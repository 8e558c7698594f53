#include "landlord/controllers/admission/admission_policies.h"

#include "admission_request.h"

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
  return stringAt(request.object, json::json_pointer("/metadata/namespace"));
}

std::string describePod(const kube::AdmissionRequest& request) {
  std::string name = stringAt(request.object, json::json_pointer("/metadata/name"));
  if (name.empty()) {
    name = request.name;
  }
  if (name.empty()) {
    name = stringAt(request.object, json::json_pointer("/metadata/generateName")) + "*";
  }
  return "pod " + inQuotes(name) + " in namespace " + inQuotes(namespaceOf(request));
}

bool isPodCreate(const kube::AdmissionRequest& request) {
  return request.operation == "CREATE" && request.kind.group.empty() && request.kind.kind == "Pod";
}

kube::AdmissionResponse malformedObject(const kube::AdmissionRequest& request) {
  return kube::AdmissionResponse::deny("request.object: a " + request.operation + " of " +
                                           request.kind.kind + " " + inQuotes(request.name) +
                                           " carries no object",
                                       400, "BadRequest");
}

}  // namespace admission

namespace {

using Policy = kube::AdmissionResponse (*)(const AdmissionCaches&, const kube::AdmissionRequest&);

// A field of an unexpected JSON type is the request's fault: answer 400 naming it
// rather than letting the exception reach the server as a 500.
kube::AdmissionHandler guarded(const AdmissionCaches& caches, Policy policy) {
  return [caches, policy](const kube::AdmissionRequest& request) {
    try {
      return policy(caches, request);
    } catch (const json::exception& error) {
      return kube::AdmissionResponse::deny("malformed " + request.kind.kind + " " +
                                               admission::inQuotes(request.name) + ": " +
                                               error.what(),
                                           400, "BadRequest");
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
