#pragma once

// What the four kinds share: object metadata, metav1.Condition and its helpers,
// metav1.LabelSelector, and how a field that does not decode is reported.
//
// Decoding never throws. A field that is absent keeps its default (a
// half-reconciled object has no status yet); a field of the wrong type keeps its
// default too and is named, with the reason, in the object's `invalid` list:
// "PoolLease spec.drain.timeoutSeconds: expected an integer, got \"ten\"". The
// API server's schema refuses such objects, so the list is empty in a cluster;
// requireValid() turns it into a DecodeError where an object must be whole.
//
// Encoding writes what decoding read: a string when it is non-empty (every
// optional string of crds/ is an enum, a pattern or a time that refuses ""), an
// optional value when it is set, and the fields crds/ requires always.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/api/v1alpha1/resources.h"
#include "landlord/operator/client/events.h"

namespace landlord::api::inline v1alpha1 {

using nlohmann::json;

// One message per field that did not decode, each naming the kind and the field.
using FieldErrors = std::vector<std::string>;

// An object that must be whole was not: what() lists every field, "; "-separated.
class DecodeError : public std::invalid_argument {
 public:
  explicit DecodeError(FieldErrors errors);
  const FieldErrors& errors() const { return errors_; }

 private:
  FieldErrors errors_;
};

// Throws DecodeError when `object.invalid` names any field.
template <class Object>
void requireValid(const Object& object) {
  if (!object.invalid.empty()) {
    throw DecodeError(object.invalid);
  }
}

// metav1.ObjectMeta, the part landlord reads and writes.
struct ObjectMeta {
  std::string name;
  std::string namespace_;  // empty for the cluster-scoped kinds
  std::string uid;
  std::string resourceVersion;
  std::int64_t generation = 0;
  std::string creationTimestamp;
  std::optional<std::string> deletionTimestamp;  // set once deletion was requested
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<std::string> finalizers;

  bool deleting() const { return deletionTimestamp.has_value(); }
  // "namespace/name", or "name": the key of informer caches and work queues.
  std::string key() const;
  bool operator==(const ObjectMeta&) const = default;
};

// metav1.Condition. The first four members come first, so that a condition to set
// reads {type, status, reason, message}.
struct Condition {
  std::string type;
  std::string status;  // "True", "False", "Unknown"
  std::string reason;
  std::string message;
  std::int64_t observedGeneration = 0;
  std::string lastTransitionTime{};  // set by setCondition
  bool operator==(const Condition&) const = default;
};

// Sets the condition of `condition.type`, for `observedGeneration`, keeping its
// lastTransitionTime while its status is unchanged (else `now`); the message is
// cut at the 32 KiB the schema allows. Returns whether anything changed.
bool setCondition(std::vector<Condition>& conditions, Condition condition,
                  std::int64_t observedGeneration, std::string_view now);
std::optional<Condition> findCondition(const std::vector<Condition>& conditions,
                                       std::string_view type);

// metav1.LabelSelector: matchLabels and matchExpressions, ANDed.
struct LabelSelectorRequirement {
  std::string key;
  std::string operator_;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
  bool operator==(const LabelSelectorRequirement&) const = default;
};
struct LabelSelector {
  std::map<std::string, std::string> matchLabels;
  std::vector<LabelSelectorRequirement> matchExpressions;
  bool empty() const { return matchLabels.empty() && matchExpressions.empty(); }
  bool operator==(const LabelSelector&) const = default;
};

// The reference an Event about a landlord object names (kind Object::kKind).
template <class Object>
kube::ObjectReference referenceTo(const Object& object) {
  return kube::ObjectReference{.apiVersion = std::string(kApiVersion),
                               .kind = std::string(Object::kKind),
                               .ns = object.metadata.namespace_,
                               .name = object.metadata.name,
                               .uid = object.metadata.uid,
                               .resourceVersion = object.metadata.resourceVersion};
}

// Decodes an object of one of the four kinds (GpuPool, Tenant, PoolLease,
// Placement); never throws, see `invalid`. Usable as an informer's projection.
template <class Object>
Object decode(const json& object);

// Only the metadata of any object.
ObjectMeta decodeMetadata(const json& object);

}  // namespace landlord::api::inline v1alpha1
