#pragma once

// What the admission policies share about the request under review (private to the
// controllers library): how its object is named in messages and where it sits.

#include <string>
#include <string_view>

#include "landlord/api/v1alpha1/meta.h"
#include "landlord/operator/webhook/admission.h"

namespace landlord::controllers::admission {

// `"text"`, so that names stand out in messages the way kubectl prints them.
std::string inQuotes(std::string_view text);

// The object's namespace: the request's, which the API server sets even when the
// object leaves metadata.namespace out.
std::string namespaceOf(const kube::AdmissionRequest& request);

// `pod "web-1" in namespace "acme"`, or `pod "web-*" ...` for a generateName.
std::string describePod(const kube::AdmissionRequest& request);

// A CREATE of a Pod (both pod policies judge these).
bool isPodCreate(const kube::AdmissionRequest& request);

// An UPDATE of a Pod (the validating policy judges what it changes).
bool isPodUpdate(const kube::AdmissionRequest& request);

// 400 for a request whose object is not a JSON object.
kube::AdmissionResponse malformedObject(const kube::AdmissionRequest& request);

// 400 for an UPDATE whose oldObject is not a JSON object.
kube::AdmissionResponse malformedOldObject(const kube::AdmissionRequest& request);

// The object of a request for one of landlord's kinds, decoded; throws
// api::DecodeError naming every field that does not decode (the webhooks answer 400).
template <class Object>
Object decodeWhole(const nlohmann::json& object) {
  Object decoded = api::decode<Object>(object);
  api::requireValid(decoded);
  return decoded;
}

}  // namespace landlord::controllers::admission
