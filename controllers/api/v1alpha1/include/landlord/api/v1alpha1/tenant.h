#pragma once

// Tenant (cluster-scoped): an organisation, its namespaces and the GPU
// architectures its software is qualified for. crds/landlord.dev_tenants.yaml is
// the contract; field names follow it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/meta.h"

namespace landlord::api::inline v1alpha1 {

struct TenantSpec {
  std::vector<std::string> namespaces;              // each belongs to this tenant alone
  std::vector<std::string> qualifiedArchitectures;  // ampere, hopper, blackwell
  bool operator==(const TenantSpec&) const = default;
};

// status.leases[]: one of the tenant's leases, any phase.
struct TenantLease {
  std::string name;
  std::string pool;
  std::string phase;
  std::string purpose;
  std::int64_t gpus = 0;
  std::string hourlyRate;
  bool operator==(const TenantLease&) const = default;
};

// Optional members are absent until the controller writes them.
struct TenantStatus {
  std::optional<std::int64_t> observedGeneration;
  std::optional<std::int64_t> activeLeases;
  std::optional<std::int64_t> gpus;
  std::string hourlySpend;
  std::string annualisedSpend;
  std::optional<std::vector<TenantLease>> leases;
  std::vector<Condition> conditions;  // Ready
  bool operator==(const TenantStatus&) const = default;
};

struct Tenant {
  static constexpr std::string_view kKind = "Tenant";
  ObjectMeta metadata;
  TenantSpec spec;
  TenantStatus status;
  FieldErrors invalid;  // what did not decode (see meta.h); never encoded
  bool operator==(const Tenant&) const = default;
};

// Whether the tenant lists `ns` in spec.namespaces.
bool listsNamespace(const Tenant& tenant, std::string_view ns);

template <>
Tenant decode<Tenant>(const json& object);
json encode(const Tenant& tenant);

}  // namespace landlord::api::inline v1alpha1
