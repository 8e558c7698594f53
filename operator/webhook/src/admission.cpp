#include "landlord/operator/webhook/admission.h"

#include <string_view>

#include "landlord/operator/base/base64.h"

namespace landlord::kube {

namespace {

using nlohmann::json;

constexpr std::string_view kAdmissionApiVersion = "admission.k8s.io/v1";
constexpr std::string_view kAdmissionReviewKind = "AdmissionReview";

// Reads optional fields of one JSON object; errors name the full field path
// ("request.kind.kind: expected a string, got number").
class FieldReader {
 public:
  FieldReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  std::string fieldPath(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  const json* find(std::string_view key) const {
    const auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) {
      return nullptr;
    }
    return &*it;
  }

  std::string string(std::string_view key) const {
    const json* value = find(key);
    if (value == nullptr) {
      return "";
    }
    if (!value->is_string()) {
      throw typeError(key, "a string", *value);
    }
    return value->get<std::string>();
  }

  std::string requiredString(std::string_view key) const {
    std::string value = string(key);
    if (value.empty()) {
      throw AdmissionReviewError(fieldPath(key) + ": missing");
    }
    return value;
  }

  bool boolean(std::string_view key) const {
    const json* value = find(key);
    if (value == nullptr) {
      return false;
    }
    if (!value->is_boolean()) {
      throw typeError(key, "a boolean", *value);
    }
    return value->get<bool>();
  }

  std::vector<std::string> strings(std::string_view key) const {
    const json* value = find(key);
    if (value == nullptr) {
      return {};
    }
    if (!value->is_array()) {
      throw typeError(key, "an array of strings", *value);
    }
    std::vector<std::string> out;
    for (const json& item : *value) {
      if (!item.is_string()) {
        throw typeError(key, "an array of strings", item);
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  // A nested object (an empty one when absent).
  FieldReader object(std::string_view key) const {
    const json* value = find(key);
    if (value == nullptr) {
      return FieldReader(emptyObject(), fieldPath(key));
    }
    if (!value->is_object()) {
      throw typeError(key, "an object", *value);
    }
    return FieldReader(*value, fieldPath(key));
  }

 private:
  static const json& emptyObject() {
    static const json empty = json::object();
    return empty;
  }

  AdmissionReviewError typeError(std::string_view key, std::string_view expected,
                                 const json& actual) const {
    return AdmissionReviewError(fieldPath(key) + ": expected " + std::string(expected) + ", got " +
                                actual.type_name());
  }

  const json& object_;
  const std::string path_;
};

// A member moved out of `object` (null when absent): the object and its old
// version are most of an AdmissionReview, and copying the pod cost a fifth of
// decoding the review (operator/bench/admission_bench.cpp).
json takeMember(json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() ? json() : std::move(*it);
}

}  // namespace

AdmissionRequest parseAdmissionReview(const std::string& body) {
  json review;
  try {
    review = json::parse(body);
  } catch (const json::exception& e) {  // a syntax error, or a number out of range
    throw AdmissionReviewError(std::string("body is not JSON: ") + e.what());
  }
  if (!review.is_object()) {
    throw AdmissionReviewError(std::string("body: expected an AdmissionReview object, got ") +
                               review.type_name());
  }
  const FieldReader top(review, "");
  if (const std::string apiVersion = top.string("apiVersion"); apiVersion != kAdmissionApiVersion) {
    throw AdmissionReviewError("apiVersion: expected " + std::string(kAdmissionApiVersion) +
                               ", got " + (apiVersion.empty() ? "none" : apiVersion));
  }
  if (const std::string kind = top.string("kind"); kind != kAdmissionReviewKind) {
    throw AdmissionReviewError("kind: expected " + std::string(kAdmissionReviewKind) + ", got " +
                               (kind.empty() ? "none" : kind));
  }
  if (top.find("request") == nullptr) {
    throw AdmissionReviewError("request: missing");
  }
  const FieldReader request = top.object("request");

  AdmissionRequest parsed;
  parsed.uid = request.requiredString("uid");
  const FieldReader kind = request.object("kind");
  parsed.kind = {kind.string("group"), kind.string("version"), kind.string("kind")};
  const FieldReader resource = request.object("resource");
  parsed.resource = {resource.string("group"), resource.string("version"),
                     resource.string("resource")};
  parsed.subResource = request.string("subResource");
  parsed.name = request.string("name");
  parsed.namespace_ = request.string("namespace");
  parsed.operation = request.requiredString("operation");
  const FieldReader userInfo = request.object("userInfo");
  parsed.userInfo = {userInfo.string("username"), userInfo.strings("groups")};
  parsed.dryRun = request.boolean("dryRun");
  json& requestObject = review["request"];  // an object: read above
  parsed.object = takeMember(requestObject, "object");
  parsed.oldObject = takeMember(requestObject, "oldObject");
  return parsed;
}

std::string renderAdmissionReview(const AdmissionRequest& request,
                                  const AdmissionResponse& response) {
  if (!response.patch.is_array()) {
    throw std::invalid_argument(std::string("admission response patch must be a JSON array, got ") +
                                response.patch.type_name());
  }
  json out = {{"uid", request.uid}, {"allowed", response.allowed}};
  if (!response.allowed) {
    json status = {{"code", response.code == 0 ? 403 : response.code},
                   {"message", response.message}};
    if (!response.reason.empty()) {
      status["reason"] = response.reason;
    }
    out["status"] = std::move(status);
  }
  if (!response.patch.empty()) {
    out["patchType"] = "JSONPatch";
    out["patch"] = base64Encode(response.patch.dump());
  }
  if (!response.warnings.empty()) {
    out["warnings"] = response.warnings;
  }
  const json review = {{"apiVersion", kAdmissionApiVersion},
                       {"kind", kAdmissionReviewKind},
                       {"response", std::move(out)}};
  // Handler messages may quote user input that is not valid UTF-8; replace
  // rather than fail the whole answer.
  return review.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace landlord::kube
