#pragma once

// Forgiving reads of the built-in objects the admission webhooks review (Pods and
// their tolerations, owners, affinity), private to them: a field that is absent or
// not a string reads as "". landlord's own kinds are read through the typed API.

#include <nlohmann/json.hpp>
#include <string>

namespace landlord::controllers {

// The string at a JSON pointer, or "".
inline std::string textAt(const nlohmann::json& object,
                          const nlohmann::json::json_pointer& pointer) {
  if (!object.contains(pointer) || !object[pointer].is_string()) {
    return {};
  }
  return object[pointer].get<std::string>();
}

// A pod's required node affinity terms (ORed), which the pod rules read.
inline const nlohmann::json::json_pointer kNodeSelectorTerms(
    "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
    "nodeSelectorTerms");

// The string at "/spec/nodeName" and the like, or "".
inline std::string textAt(const nlohmann::json& object, const char* pointer) {
  return textAt(object, nlohmann::json::json_pointer(pointer));
}

}  // namespace landlord::controllers
