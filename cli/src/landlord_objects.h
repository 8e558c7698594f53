#pragma once

// The landlord.dev resources as the CLI reads them (names from crds/, the contract),
// and forgiving readers over their JSON: a field that is absent or of the wrong type
// reads as empty, so a half-reconciled object is shown, never a crash.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "landlord/operator/client/resource.h"

namespace landlord::cli::objects {

inline constexpr std::string_view kApiVersion = "landlord.dev/v1alpha1";
kube::GroupVersionResource gpuPools();
kube::GroupVersionResource tenants();
kube::GroupVersionResource poolLeases();

// The string at a JSON pointer ("/status/phase"), or "".
std::string text(const nlohmann::json& object, const char* pointer);
// The integer at a JSON pointer, or 0.
std::int64_t count(const nlohmann::json& object, const char* pointer);
// The array at a JSON pointer, or an empty one.
const nlohmann::json& list(const nlohmann::json& object, const char* pointer);
// status.conditions[type == TYPE], or nullptr.
const nlohmann::json* condition(const nlohmann::json& object, std::string_view type);

}  // namespace landlord::cli::objects
