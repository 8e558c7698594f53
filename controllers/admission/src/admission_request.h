#pragma once

// What the admission policies share about the request under review (private to the
// controllers library): how its object is named in messages and where it sits.

#include <string>
#include <string_view>

#include "landlord/controllers/api.h"
#include "landlord/operator/webhook/admission.h"

namespace landlord::controllers::admission {

// `"text"`, so that names stand out in messages the way kubectl prints them.
std::string inQuotes(std::string_view text);

// The object's namespace: the request's, which the API server sets even when the
// object leaves metadata.namespace out.
std::string namespaceOf(const kube::AdmissionRequest& request);

// `pod "web-1" in namespace "acme"`, or `pod "web-*" ...` for a generateName.
std::string describePod(const kube::AdmissionRequest& request);

// The pod policies judge Pod CREATEs only.
bool isPodCreate(const kube::AdmissionRequest& request);

// 400 for a request whose object is not a JSON object.
kube::AdmissionResponse malformedObject(const kube::AdmissionRequest& request);

}  // namespace landlord::controllers::admission
