// Object metadata, conditions and label selectors: their helpers, decoding and encoding.
#include "landlord/api/v1alpha1/meta.h"

#include "codec.h"

namespace landlord::api::inline v1alpha1 {

namespace {

// metav1.Condition's message limit in the CRD schemas.
constexpr std::size_t kMaxConditionMessage = 32768;

std::string joined(const FieldErrors& errors) {
  std::string text;
  for (const std::string& error : errors) {
    text += text.empty() ? "" : "; ";
    text += error;
  }
  return text;
}

}  // namespace

DecodeError::DecodeError(FieldErrors errors)
    : std::invalid_argument(joined(errors)), errors_(std::move(errors)) {}

std::string ObjectMeta::key() const {
  return kube::objectKey(namespace_, name);
}

bool setCondition(std::vector<Condition>& conditions, Condition condition,
                  std::int64_t observedGeneration, std::string_view now) {
  condition.message = condition.message.substr(0, kMaxConditionMessage);
  condition.observedGeneration = observedGeneration;
  condition.lastTransitionTime = std::string(now);
  for (Condition& existing : conditions) {
    if (existing.type != condition.type) {
      continue;
    }
    if (existing.status == condition.status && !existing.lastTransitionTime.empty()) {
      condition.lastTransitionTime = existing.lastTransitionTime;
    }
    const bool changed = existing != condition;
    existing = std::move(condition);
    return changed;
  }
  conditions.push_back(std::move(condition));
  return true;
}

std::optional<Condition> findCondition(const std::vector<Condition>& conditions,
                                       std::string_view type) {
  for (const Condition& condition : conditions) {
    if (condition.type == type) {
      return condition;
    }
  }
  return std::nullopt;
}

ObjectMeta decodeMetadata(const json& object) {
  FieldErrors ignored;
  ObjectMeta metadata;
  detail::decodeMetadata(detail::Field::document(object, "object", ignored)["metadata"], metadata);
  return metadata;
}

namespace detail {

void decodeMetadata(const Field& field, ObjectMeta& into) {
  const Field metadata = field.object();
  metadata["name"].read(into.name);
  metadata["namespace"].read(into.namespace_);
  metadata["uid"].read(into.uid);
  metadata["resourceVersion"].read(into.resourceVersion);
  metadata["generation"].read(into.generation);
  metadata["creationTimestamp"].read(into.creationTimestamp);
  metadata["deletionTimestamp"].read(into.deletionTimestamp);
  metadata["labels"].read(into.labels);
  metadata["annotations"].read(into.annotations);
  metadata["finalizers"].read(into.finalizers);
}

json encodeMetadata(const ObjectMeta& metadata) {
  json out = json::object();
  putString(out, "name", metadata.name);
  putString(out, "namespace", metadata.namespace_);
  putString(out, "uid", metadata.uid);
  putString(out, "resourceVersion", metadata.resourceVersion);
  if (metadata.generation != 0) {
    out["generation"] = metadata.generation;
  }
  putString(out, "creationTimestamp", metadata.creationTimestamp);
  putOptional(out, "deletionTimestamp", metadata.deletionTimestamp);
  if (!metadata.labels.empty()) {
    out["labels"] = metadata.labels;
  }
  if (!metadata.annotations.empty()) {
    out["annotations"] = metadata.annotations;
  }
  if (!metadata.finalizers.empty()) {
    out["finalizers"] = metadata.finalizers;
  }
  return out;
}

void decodeConditions(const Field& field, std::vector<Condition>& into) {
  field.readList(into, [](const Field& item, Condition& condition) {
    item["type"].read(condition.type);
    item["status"].read(condition.status);
    item["reason"].read(condition.reason);
    item["message"].read(condition.message);
    item["observedGeneration"].read(condition.observedGeneration);
    item["lastTransitionTime"].read(condition.lastTransitionTime);
  });
}

json encodeConditions(const std::vector<Condition>& conditions) {
  json out = json::array();
  for (const Condition& condition : conditions) {
    out.push_back({{"type", condition.type},
                   {"status", condition.status},
                   {"reason", condition.reason},
                   {"message", condition.message},
                   {"observedGeneration", condition.observedGeneration},
                   {"lastTransitionTime", condition.lastTransitionTime}});
  }
  return out;
}

void decodeSelector(const Field& field, LabelSelector& into) {
  const std::size_t errorsBefore = field.errorCount();
  const Field selector = field.object();
  LabelSelector decoded;
  selector["matchLabels"].read(decoded.matchLabels);
  selector["matchExpressions"].readList(
      decoded.matchExpressions, [](const Field& item, LabelSelectorRequirement& requirement) {
        item["key"].read(requirement.key);
        item["operator"].read(requirement.operator_);
        item["values"].read(requirement.values);
      });
  into = field.errorCount() == errorsBefore ? std::move(decoded) : LabelSelector{};
}

json encodeSelector(const LabelSelector& selector) {
  json out = json::object();
  if (!selector.matchLabels.empty()) {
    out["matchLabels"] = selector.matchLabels;
  }
  if (!selector.matchExpressions.empty()) {
    json expressions = json::array();
    for (const LabelSelectorRequirement& requirement : selector.matchExpressions) {
      json entry = {{"key", requirement.key}, {"operator", requirement.operator_}};
      if (!requirement.values.empty()) {
        entry["values"] = requirement.values;
      }
      expressions.push_back(std::move(entry));
    }
    out["matchExpressions"] = std::move(expressions);
  }
  return out;
}

json encodeObject(std::string_view kind, const ObjectMeta& metadata, json spec, json status) {
  json out = {{"apiVersion", std::string(kApiVersion)},
              {"kind", std::string(kind)},
              {"metadata", encodeMetadata(metadata)},
              {"spec", std::move(spec)}};
  if (!status.empty()) {
    out["status"] = std::move(status);
  }
  return out;
}

void putString(json& object, const char* key, const std::string& value) {
  if (!value.empty()) {
    object[key] = value;
  }
}

}  // namespace detail

}  // namespace landlord::api::inline v1alpha1
