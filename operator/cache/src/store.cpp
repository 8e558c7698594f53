#include "landlord/operator/cache/store.h"

namespace landlord::kube {

KeyParts splitObjectKey(std::string_view key) {
  const auto slash = key.find('/');
  if (slash == std::string_view::npos) {
    return {{}, key, false};
  }
  return {key.substr(0, slash), key.substr(slash + 1), true};
}

KeyParts keyPartsOf(const ObjectMeta& meta) {
  return {meta.ns(), meta.name(), !meta.ns().empty()};
}

std::size_t hashKeyParts(const KeyParts& key) {
  const std::size_t name = std::hash<std::string_view>{}(key.name);
  return key.namespaced ? name ^ (std::hash<std::string_view>{}(key.ns) * 31 + 1) : name;
}

IndexFunc namespaceIndexer() {
  return [](const nlohmann::json& object) -> std::vector<std::string> {
    return {std::string(objectMetaOf(object).ns())};
  };
}

IndexFunc labelIndexer(std::string label) {
  return [label = std::move(label)](const nlohmann::json& object) -> std::vector<std::string> {
    auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->contains("labels")) {
      return {};
    }
    const nlohmann::json& labels = (*metadata)["labels"];
    auto value = labels.find(label);
    if (value == labels.end() || !value->is_string()) {
      return {};
    }
    return {value->get<std::string>()};
  };
}

Projection<nlohmann::json> prunedJson(std::vector<std::string> jsonPointers) {
  std::vector<nlohmann::json::json_pointer> pointers;
  pointers.reserve(jsonPointers.size());
  for (const std::string& pointer : jsonPointers) {
    pointers.emplace_back(pointer);
  }
  return [pointers = std::move(pointers)](const nlohmann::json& object) {
    nlohmann::json pruned = nlohmann::json::object();
    for (const auto& pointer : pointers) {
      if (object.contains(pointer)) {
        pruned[pointer] = object[pointer];
      }
    }
    return pruned;
  };
}

}  // namespace landlord::kube
