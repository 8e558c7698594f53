#include "landlord_objects.h"

namespace landlord::cli::objects {

namespace {

kube::GroupVersionResource clusterScoped(std::string resource, std::string kind) {
  return kube::GroupVersionResource{.group = "landlord.dev",
                                    .version = "v1alpha1",
                                    .resource = std::move(resource),
                                    .namespaced = false,
                                    .kind = std::move(kind)};
}

// Absent, or behind an intermediate of the wrong type: nullptr.
const nlohmann::json* find(const nlohmann::json& object, const char* pointer) {
  const nlohmann::json::json_pointer path(pointer);
  return object.contains(path) ? &object[path] : nullptr;
}

}  // namespace

kube::GroupVersionResource gpuPools() {
  return clusterScoped("gpupools", "GPUPool");
}

kube::GroupVersionResource tenants() {
  return clusterScoped("tenants", "Tenant");
}

kube::GroupVersionResource poolLeases() {
  return clusterScoped("poolleases", "PoolLease");
}

std::string text(const nlohmann::json& object, const char* pointer) {
  const nlohmann::json* value = find(object, pointer);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::int64_t count(const nlohmann::json& object, const char* pointer) {
  const nlohmann::json* value = find(object, pointer);
  return value != nullptr && value->is_number_integer() ? value->get<std::int64_t>() : 0;
}

const nlohmann::json& list(const nlohmann::json& object, const char* pointer) {
  static const nlohmann::json empty = nlohmann::json::array();
  const nlohmann::json* value = find(object, pointer);
  return value != nullptr && value->is_array() ? *value : empty;
}

const nlohmann::json* condition(const nlohmann::json& object, std::string_view type) {
  for (const nlohmann::json& entry : list(object, "/status/conditions")) {
    if (entry.is_object() && text(entry, "/type") == type) {
      return &entry;
    }
  }
  return nullptr;
}

}  // namespace landlord::cli::objects
