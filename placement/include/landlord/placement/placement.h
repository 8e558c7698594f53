#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/placement/catalog.h"
#include "landlord/placement/lease.h"
#include "landlord/placement/money.h"
#include "landlord/placement/pool_metrics.h"
#include "landlord/placement/quantities.h"

namespace landlord::placement {

enum class WorkloadType { Training, Inference };
std::string_view toString(WorkloadType type);
std::optional<WorkloadType> parseWorkloadType(std::string_view text);

struct TenantProfile {
  std::string name;
  std::vector<std::string> qualifiedArchitectures;  // e.g. {"hopper", "blackwell"}
};

struct PlacementRequest {
  std::string name;
  std::string tenant;
  WorkloadType workload = WorkloadType::Inference;
  std::int64_t gpus = 0;
  std::vector<std::string> allowedModels;  // catalog model names; empty allows all
};

struct ModelCapacity {
  ModelId model = 0;
  std::int64_t capacityGpus = 0;  // schedulable GPUs of this model in the pool
  std::int64_t reservedGpus = 0;  // already bound to placements
  Money ratePerGpuHour;           // what the tenant pays for one of these GPUs

  // Never negative: nodes may leave a pool after placements were bound to it.
  std::int64_t freeGpus() const {
    return capacityGpus > reservedGpus ? capacityGpus - reservedGpus : 0;
  }
};

// A pool as placement sees it: held by one tenant under one active lease.
struct LeasedPool {
  std::string pool;
  std::string lease;
  std::string tenant;
  LeasePurpose purpose = LeasePurpose::Any;
  bool homogeneous = false;
  std::vector<ModelCapacity> models;

  std::int64_t freeGpus() const;
};

// `negotiatedRate` (the lease's ratePerGPUHour) overrides each model's list rate.
LeasedPool leasedPoolFrom(std::string pool, const PoolMetrics& metrics, const LeaseFacts& lease,
                          LeasePurpose purpose, std::optional<Money> negotiatedRate);

struct Allocation {
  std::string pool;
  ModelId model = 0;
  std::int64_t gpus = 0;
  bool operator==(const Allocation&) const = default;
};

struct PlacementDecision {
  bool placed = false;
  std::vector<Allocation> allocations;  // empty unless placed
  std::string reason;                   // why not, when not placed
  Money hourlyCost;
  H100Eq trainingEq;
  H100Eq inferenceEq;
  Ratio estimatedEfficiency;  // training: 1 (one model); inference: 1 (no straggling)
};

// Free capacity of every leased pool, by model. Pools are kept sorted by name so
// every decision is deterministic whatever order they were supplied in.
class CapacityLedger {
 public:
  // Throws std::invalid_argument on a duplicate pool name.
  explicit CapacityLedger(std::vector<LeasedPool> pools);

  const std::vector<LeasedPool>& pools() const { return pools_; }
  const LeasedPool* find(std::string_view pool) const;
  // Throws std::invalid_argument when an allocation exceeds free capacity or names
  // an unknown pool or model; nothing is reserved then.
  void reserve(const std::vector<Allocation>& allocations);
  void release(const std::vector<Allocation>& allocations);
  // Records allocations already bound (e.g. read back from Placement status after a
  // restart) even beyond current capacity, since nodes may have left the pool.
  // Returns how many GPUs named a pool or model the ledger does not hold; those
  // are not recorded.
  std::int64_t restore(const std::vector<Allocation>& allocations);
  CapacityLedger without(std::string_view pool) const;

 private:
  ModelCapacity* findModel(const Allocation& allocation);
  std::vector<LeasedPool> pools_;
};

// Training: exactly one homogeneous pool the tenant leases for training (or any),
// all-or-nothing, on an architecture the tenant is qualified for, best fit (least
// free capacity left over, then pool name). Inference: any of the tenant's pools
// leased for inference (or any), mixed pools first, then the most inference
// H100-equivalents per dollar; may span pools. Pure and deterministic.
PlacementDecision place(const PlacementRequest& request, const TenantProfile& tenant,
                        const CapacityLedger& ledger, const Catalog& catalog);

// A placement already bound, as re-placement needs it.
struct BoundPlacement {
  PlacementRequest request;
  std::vector<Allocation> allocations;
};

struct Replacement {
  std::string placement;
  PlacementDecision decision;
};

// After `lostPool` is handed over, re-place the tenant's training placements that
// were bound to it onto its other pools, largest first (then by name), reserving in
// `ledger` as they go. `ledger` should hold the tenant's remaining pools; the lost
// pool is ignored if present.
std::vector<Replacement> replaceTrainingAfterHandover(std::string_view lostPool,
                                                      const std::vector<BoundPlacement>& bound,
                                                      const TenantProfile& tenant,
                                                      CapacityLedger& ledger,
                                                      const Catalog& catalog);

}  // namespace landlord::placement
