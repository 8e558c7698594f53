#pragma once

// Admission webhooks: the admission.k8s.io/v1 AdmissionReview a webhook
// receives and answers, independent of how it is served (see
// webhook_server.h). Handlers are plain functions, so policies can be unit
// tested without TLS or HTTP.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace landlord::kube {

struct GroupVersionKindRef {
  std::string group;  // "" for the core group
  std::string version;
  std::string kind;
};

struct GroupVersionResourceRef {
  std::string group;
  std::string version;
  std::string resource;  // plural, e.g. "pods"
};

struct AdmissionUser {
  std::string username;
  std::vector<std::string> groups;
};

// admission.k8s.io/v1 AdmissionRequest, the fields landlord reads.
struct AdmissionRequest {
  std::string uid;
  GroupVersionKindRef kind;
  GroupVersionResourceRef resource;
  std::string subResource;
  std::string name;        // may be empty on CREATE with generateName
  std::string namespace_;  // empty for cluster-scoped objects
  std::string operation;   // CREATE, UPDATE, DELETE, CONNECT
  AdmissionUser userInfo;
  nlohmann::json object;     // null on DELETE
  nlohmann::json oldObject;  // null on CREATE
  bool dryRun = false;
};

// admission.k8s.io/v1 AdmissionResponse.
struct AdmissionResponse {
  bool allowed = true;
  // With allowed = false: HTTP-like code (403 for a policy denial, 400 for a
  // malformed object, 500 for an internal error), and a message for the user
  // that names the rule and the objects involved.
  int code = 0;
  std::string reason;  // e.g. "Forbidden"
  std::string message;
  // RFC 6902 JSON Patch operations (an array); empty = no mutation.
  nlohmann::json patch = nlohmann::json::array();
  std::vector<std::string> warnings;

  static AdmissionResponse allow() { return {}; }
  static AdmissionResponse deny(std::string message, int code = 403,
                                std::string reason = "Forbidden") {
    AdmissionResponse response;
    response.allowed = false;
    response.code = code;
    response.reason = std::move(reason);
    response.message = std::move(message);
    return response;
  }
};

using AdmissionHandler = std::function<AdmissionResponse(const AdmissionRequest&)>;

// One webhook endpoint: the URL path the webhook configuration calls and the
// name used in metrics and logs (controller-runtime's "webhook" label is the path).
struct AdmissionWebhook {
  std::string path;  // e.g. "/validate-v1-pod"
  AdmissionHandler handler;
};

// A malformed AdmissionReview body; the message names the field at fault.
class AdmissionReviewError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses an admission.k8s.io/v1 AdmissionReview request body. Throws
// AdmissionReviewError naming the field when it is not one.
AdmissionRequest parseAdmissionReview(const std::string& body);

// The AdmissionReview response body for `request.uid` (patch base64-encoded
// with patchType JSONPatch when there is one).
std::string renderAdmissionReview(const AdmissionRequest& request,
                                  const AdmissionResponse& response);

}  // namespace landlord::kube
