#pragma once

// Decoding and encoding of what the kinds share (private to the API library):
// metadata, conditions, label selectors, the object envelope, and the encoding
// rules of meta.h (strings when non-empty, optionals when set).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "field.h"
#include "landlord/api/v1alpha1/meta.h"

namespace landlord::api::inline v1alpha1::detail {

void decodeMetadata(const Field& metadata, ObjectMeta& into);
json encodeMetadata(const ObjectMeta& metadata);

void decodeConditions(const Field& conditions, std::vector<Condition>& into);
json encodeConditions(const std::vector<Condition>& conditions);

// A selector with any field that does not decode selects nothing (empty), as a
// selector the API server cannot read selects nothing.
void decodeSelector(const Field& selector, LabelSelector& into);
json encodeSelector(const LabelSelector& selector);

// {apiVersion, kind, metadata, spec, status}; status left out when empty.
json encodeObject(std::string_view kind, const ObjectMeta& metadata, json spec, json status);

// Writes `value` under `key` when it is non-empty.
void putString(json& object, const char* key, const std::string& value);
// Writes `value` under `key` when it is set.
template <class T>
void putOptional(json& object, const char* key, const std::optional<T>& value) {
  if (value) {
    object[key] = *value;
  }
}

}  // namespace landlord::api::inline v1alpha1::detail
