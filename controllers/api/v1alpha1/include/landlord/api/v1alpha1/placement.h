#pragma once

// Placement (namespaced, in a tenant's namespace): a request for GPU capacity on
// the tenant's leased pools. crds/landlord.dev_placements.yaml is the contract;
// field names follow it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/meta.h"

namespace landlord::api::inline v1alpha1 {

struct PlacementSpec {
  std::string workloadType;  // training, inference
  std::int64_t gpus = 0;
  std::vector<std::string> allowedModels;  // empty: any model the tenant is qualified for
  bool operator==(const PlacementSpec&) const = default;
};

// status.pools[]: GPUs reserved on one pool, through the lease that holds it.
struct PoolBinding {
  std::string name;
  std::string lease;
  std::int64_t gpus = 0;
  std::vector<std::string> models;  // catalog models reserved there
  bool operator==(const PoolBinding&) const = default;
};

// Optional members are absent until the controller writes them.
struct PlacementStatus {
  std::optional<std::int64_t> observedGeneration;
  std::string phase;  // Pending, Bound, Unplaceable
  std::string tenant;
  std::vector<PoolBinding> pools;  // while Bound
  std::string poolNames;           // the names in pools, comma-separated
  std::optional<std::int64_t> gpusReserved;
  std::string estimatedEfficiency;
  std::string boundAt;
  std::vector<Condition> conditions;  // Placed, Ready
  bool operator==(const PlacementStatus&) const = default;
};

struct Placement {
  static constexpr std::string_view kKind = "Placement";
  ObjectMeta metadata;
  PlacementSpec spec;
  PlacementStatus status;
  FieldErrors invalid;  // what did not decode (see meta.h); never encoded
  bool operator==(const Placement&) const = default;
};

template <>
Placement decode<Placement>(const json& object);
json encode(const Placement& placement);

}  // namespace landlord::api::inline v1alpha1
