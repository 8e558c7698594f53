#pragma once

// GPUPool (cluster-scoped): a set of GPU nodes chosen by a label selector, leased
// whole. crds/landlord.dev_gpupools.yaml is the contract; field names follow it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/meta.h"

namespace landlord::api::inline v1alpha1 {

// spec.pricing[]: a per-model price override, USD per GPU-hour as a decimal string.
struct ModelPrice {
  std::string model;
  std::string ratePerGPUHour;
  bool operator==(const ModelPrice&) const = default;
};

struct GpuPoolSpec {
  LabelSelector nodeSelector;  // empty selects nothing
  std::vector<ModelPrice> pricing;
  bool operator==(const GpuPoolSpec&) const = default;
};

// status.composition[]: the counted nodes and GPUs of one catalog model.
struct ModelComposition {
  std::string model;
  std::string architecture;
  std::vector<std::string> products;  // nvidia.com/gpu.product values seen
  std::int64_t nodes = 0;
  std::int64_t gpus = 0;
  std::string trainingH100Equivalents;
  std::string inferenceH100Equivalents;
  std::string ratePerGPUHour;
  bool operator==(const ModelComposition&) const = default;
};

struct H100Equivalents {
  std::string training;
  std::string inference;
  bool operator==(const H100Equivalents&) const = default;
};

// status.lease: the exclusivity claim, written only by an update carrying the
// resourceVersion read (see writes.h).
struct PoolClaim {
  std::string name;  // the PoolLease holding the pool
  std::string uid;   // of that lease, so a recreated namesake does not inherit it
  std::string tenant;
  std::string purpose;
  std::int64_t claimGeneration = 0;  // fencing token: status.leaseGeneration when claimed
  std::string claimedAt;
  bool operator==(const PoolClaim&) const = default;
};

// status.handover: present while the holding lease is released to its successor.
struct HandoverRecord {
  std::string fromLease;
  std::string fromTenant;
  std::string toLease;
  std::string toTenant;
  std::string startedAt;
  bool operator==(const HandoverRecord&) const = default;
};

// status.unknownProducts[]: selected nodes of a GPU product the catalog lacks.
struct UnknownProduct {
  std::string product;  // empty for nodes without the label
  std::int64_t nodes = 0;
  std::int64_t gpus = 0;
  std::vector<std::string> exampleNodes;
  bool operator==(const UnknownProduct&) const = default;
};

// status.conflictingNodes: nodes this pool and another both select.
struct ConflictingNodes {
  std::int64_t count = 0;
  std::vector<std::string> pools;
  std::vector<std::string> exampleNodes;
  bool operator==(const ConflictingNodes&) const = default;
};

// status.ownership: how many of the pool's nodes carry exactly what their owner
// (the lease holding the pool, or nobody) should, and why the others do not yet.
struct OwnershipStatus {
  std::string owner;  // the tenant its nodes go to or stay with; empty: nobody
  std::string mode;   // Free, Own, Hold (held for a handover or a release)
  std::int64_t converged = 0;
  std::int64_t pending = 0;  // a write due, or pods still leaving
  std::int64_t blocked = 0;  // evictions refused by a PodDisruptionBudget
  std::int64_t podsLeaving = 0;
  std::vector<std::string> reasons;  // a few, e.g. "node n7: PodDisruptionBudget web-pdb ..."
  bool operator==(const OwnershipStatus&) const = default;
};

// Optional members are absent until a controller writes them.
struct GpuPoolStatus {
  std::optional<std::int64_t> observedGeneration;
  std::string phase;  // Available, Leased, HandingOver
  std::optional<std::int64_t> nodes;
  std::optional<std::int64_t> gpus;
  std::optional<std::vector<ModelComposition>> composition;
  std::optional<H100Equivalents> h100Equivalents;
  std::optional<bool> homogeneous;
  std::string mix;  // Homogeneous, Mixed
  std::optional<std::vector<std::string>> architectures;
  std::string stragglerEfficiency;
  std::string ratePerGPUHour;
  std::string hourlyListRate;
  std::optional<PoolClaim> lease;
  std::optional<std::int64_t> leaseGeneration;
  std::optional<HandoverRecord> handover;
  std::optional<std::vector<UnknownProduct>> unknownProducts;
  std::optional<ConflictingNodes> conflictingNodes;
  std::optional<OwnershipStatus> ownership;
  std::vector<Condition> conditions;  // Ready, NodesConflict, UnknownGPUProducts, NodesConverged
  bool operator==(const GpuPoolStatus&) const = default;
};

struct GpuPool {
  static constexpr std::string_view kKind = "GPUPool";
  ObjectMeta metadata;
  GpuPoolSpec spec;
  GpuPoolStatus status;
  FieldErrors invalid;  // what did not decode (see meta.h); never encoded
  bool operator==(const GpuPool&) const = default;
};

template <>
GpuPool decode<GpuPool>(const json& object);
json encode(const GpuPool& pool);

}  // namespace landlord::api::inline v1alpha1
