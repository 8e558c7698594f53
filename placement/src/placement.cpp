#include "landlord/placement/placement.h"

#include <algorithm>
#include <stdexcept>

#include "arithmetic.h"
#include "text.h"

namespace landlord::placement {

namespace {

using detail::quoted;

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    text += text.empty() ? "" : ", ";
    text += item;
  }
  return text;
}

PlacementDecision failed(std::string reason) {
  PlacementDecision decision;
  decision.reason = std::move(reason);
  return decision;
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// The request's view of the catalog: which models and architectures it may use.
class Eligibility {
 public:
  Eligibility(const PlacementRequest& request, const TenantProfile& tenant, const Catalog& catalog)
      : request_(request), tenant_(tenant), catalog_(catalog) {}

  bool qualified(ModelId model) const {
    return contains(tenant_.qualifiedArchitectures, catalog_.model(model).architecture);
  }
  bool allowed(ModelId model) const {
    return request_.allowedModels.empty() ||
           contains(request_.allowedModels, catalog_.model(model).name);
  }
  std::string modelNames(const LeasedPool& pool) const {
    std::vector<std::string> names;
    for (const ModelCapacity& capacity : pool.models) {
      names.push_back(catalog_.model(capacity.model).name);
    }
    return joined(names);
  }
  std::string describe(const LeasedPool& pool) const {
    std::vector<std::string> parts;
    for (const ModelCapacity& capacity : pool.models) {
      const GpuModel& model = catalog_.model(capacity.model);
      parts.push_back(model.name + " " + model.architecture);
    }
    return pool.pool + " (" + joined(parts) + ")";
  }
  std::string qualifications() const {
    return tenant_.qualifiedArchitectures.empty() ? "no architecture"
                                                  : joined(tenant_.qualifiedArchitectures);
  }
  std::string tenant() const { return "tenant " + quoted(request_.tenant); }

 private:
  const PlacementRequest& request_;
  const TenantProfile& tenant_;
  const Catalog& catalog_;
};

std::vector<const LeasedPool*> poolsOf(const CapacityLedger& ledger, std::string_view tenant) {
  std::vector<const LeasedPool*> pools;
  for (const LeasedPool& pool : ledger.pools()) {
    if (pool.tenant == tenant) {
      pools.push_back(&pool);
    }
  }
  return pools;
}

template <typename Keep>
std::vector<const LeasedPool*> filtered(const std::vector<const LeasedPool*>& pools, Keep keep) {
  std::vector<const LeasedPool*> kept;
  std::copy_if(pools.begin(), pools.end(), std::back_inserter(kept), keep);
  return kept;
}

std::string listPools(const std::vector<const LeasedPool*>& pools,
                      std::string (*describe)(const LeasedPool&)) {
  std::vector<std::string> parts;
  for (const LeasedPool* pool : pools) {
    parts.push_back(describe(*pool));
  }
  return joined(parts);
}

std::string purposeOf(const LeasedPool& pool) {
  return pool.pool + " is leased for " + std::string(toString(pool.purpose));
}

void account(PlacementDecision& decision, const LeasedPool& pool, const ModelCapacity& capacity,
             std::int64_t gpus, const Catalog& catalog) {
  const GpuModel& model = catalog.model(capacity.model);
  decision.allocations.push_back({.pool = pool.pool, .model = capacity.model, .gpus = gpus});
  decision.hourlyCost += capacity.ratePerGpuHour.times(gpus);
  decision.trainingEq = decision.trainingEq + model.trainingEq.times(gpus);
  decision.inferenceEq = decision.inferenceEq + model.inferenceEq.times(gpus);
}

PlacementDecision placeTraining(const PlacementRequest& request, const Eligibility& eligibility,
                                const std::vector<const LeasedPool*>& tenantPools,
                                const Catalog& catalog) {
  const auto forTraining = filtered(
      tenantPools, [](const LeasedPool* pool) { return pool->purpose != LeasePurpose::Inference; });
  if (forTraining.empty()) {
    return failed("no pool leased to " + eligibility.tenant() + " allows training (" +
                  listPools(tenantPools, purposeOf) + ")");
  }
  const auto homogeneous = filtered(forTraining, [](const LeasedPool* pool) {
    return pool->homogeneous && pool->models.size() == 1;
  });
  if (homogeneous.empty()) {
    std::vector<std::string> mixed;
    for (const LeasedPool* pool : forTraining) {
      mixed.push_back(pool->pool + " (" + eligibility.modelNames(*pool) + ")");
    }
    return failed("training needs a homogeneous pool, and every pool leased to " +
                  eligibility.tenant() + " for training is mixed: " + joined(mixed));
  }
  const auto qualified = filtered(homogeneous, [&](const LeasedPool* pool) {
    return eligibility.qualified(pool->models.front().model);
  });
  if (qualified.empty()) {
    std::vector<std::string> pools;
    for (const LeasedPool* pool : homogeneous) {
      pools.push_back(eligibility.describe(*pool));
    }
    return failed(eligibility.tenant() + " is qualified for " + eligibility.qualifications() +
                  ", and its homogeneous pools are " + joined(pools));
  }
  const auto allowed = filtered(qualified, [&](const LeasedPool* pool) {
    return eligibility.allowed(pool->models.front().model);
  });
  if (allowed.empty()) {
    std::vector<std::string> pools;
    for (const LeasedPool* pool : qualified) {
      pools.push_back(eligibility.describe(*pool));
    }
    return failed("no homogeneous pool leased to " + eligibility.tenant() +
                  " has an allowed model (" + joined(request.allowedModels) + "); it has " +
                  joined(pools));
  }
  const LeasedPool* best = nullptr;
  const LeasedPool* largest = nullptr;
  for (const LeasedPool* pool : allowed) {  // sorted by name: ties keep the first
    const std::int64_t free = pool->models.front().freeGpus();
    if (largest == nullptr || free > largest->models.front().freeGpus()) {
      largest = pool;
    }
    if (free >= request.gpus && (best == nullptr || free < best->models.front().freeGpus())) {
      best = pool;
    }
  }
  if (best == nullptr) {
    return failed("no homogeneous pool leased to " + eligibility.tenant() + " has " +
                  std::to_string(request.gpus) + " free GPUs; largest is " + largest->pool +
                  " with " + std::to_string(largest->models.front().freeGpus()) + " free");
  }
  PlacementDecision decision;
  decision.placed = true;
  account(decision, *best, best->models.front(), request.gpus, catalog);
  return decision;
}

struct Slice {
  const LeasedPool* pool;
  const ModelCapacity* capacity;
  H100Eq inferenceEqPerGpu;
};

// Mixed pools first (homogeneous capacity stays free for training), then the most
// inference H100-equivalents per dollar, then pool name and catalog order.
bool servesBetter(const Slice& a, const Slice& b) {
  if (a.pool->homogeneous != b.pool->homogeneous) {
    return !a.pool->homogeneous;
  }
  const detail::Wide valueA =
      detail::Wide{a.inferenceEqPerGpu.units()} * b.capacity->ratePerGpuHour.micros();
  const detail::Wide valueB =
      detail::Wide{b.inferenceEqPerGpu.units()} * a.capacity->ratePerGpuHour.micros();
  if (valueA != valueB) {
    return valueA > valueB;
  }
  if (a.pool->pool != b.pool->pool) {
    return a.pool->pool < b.pool->pool;
  }
  return a.capacity->model < b.capacity->model;
}

PlacementDecision placeInference(const PlacementRequest& request, const Eligibility& eligibility,
                                 const std::vector<const LeasedPool*>& tenantPools,
                                 const Catalog& catalog) {
  const auto forInference = filtered(
      tenantPools, [](const LeasedPool* pool) { return pool->purpose != LeasePurpose::Training; });
  if (forInference.empty()) {
    return failed("no pool leased to " + eligibility.tenant() + " allows inference (" +
                  listPools(tenantPools, purposeOf) + ")");
  }
  std::vector<Slice> slices;
  bool anyQualified = false;
  bool anyAllowed = false;
  for (const LeasedPool* pool : forInference) {
    for (const ModelCapacity& capacity : pool->models) {
      if (!eligibility.qualified(capacity.model)) {
        continue;
      }
      anyQualified = true;
      if (!eligibility.allowed(capacity.model)) {
        continue;
      }
      anyAllowed = true;
      if (capacity.freeGpus() > 0) {
        slices.push_back({pool, &capacity, catalog.model(capacity.model).inferenceEq});
      }
    }
  }
  if (!anyQualified) {
    std::vector<std::string> pools;
    for (const LeasedPool* pool : forInference) {
      pools.push_back(eligibility.describe(*pool));
    }
    return failed(eligibility.tenant() + " is qualified for " + eligibility.qualifications() +
                  ", and its inference pools hold " + joined(pools));
  }
  if (!anyAllowed) {
    return failed("no pool leased to " + eligibility.tenant() + " for inference has an " +
                  "allowed model (" + joined(request.allowedModels) + ")");
  }
  std::int64_t available = 0;
  std::vector<std::string> freeByPool;
  for (const LeasedPool* pool : forInference) {
    std::int64_t poolFree = 0;
    for (const Slice& slice : slices) {
      poolFree += slice.pool == pool ? slice.capacity->freeGpus() : 0;
    }
    available += poolFree;
    freeByPool.push_back(pool->pool + ": " + std::to_string(poolFree));
  }
  if (available < request.gpus) {
    return failed(eligibility.tenant() + " has " + std::to_string(available) +
                  " free GPUs it may use for inference (" + joined(freeByPool) + "); requested " +
                  std::to_string(request.gpus));
  }
  std::sort(slices.begin(), slices.end(), servesBetter);
  PlacementDecision decision;
  decision.placed = true;
  std::int64_t remaining = request.gpus;
  for (const Slice& slice : slices) {
    if (remaining == 0) {
      break;
    }
    const std::int64_t take = std::min(remaining, slice.capacity->freeGpus());
    account(decision, *slice.pool, *slice.capacity, take, catalog);
    remaining -= take;
  }
  return decision;
}

}  // namespace

std::string_view toString(WorkloadType type) {
  return type == WorkloadType::Training ? "training" : "inference";
}

std::optional<WorkloadType> parseWorkloadType(std::string_view text) {
  if (text == "training") {
    return WorkloadType::Training;
  }
  if (text == "inference") {
    return WorkloadType::Inference;
  }
  return std::nullopt;
}

std::int64_t LeasedPool::freeGpus() const {
  std::int64_t free = 0;
  for (const ModelCapacity& capacity : models) {
    free += capacity.freeGpus();
  }
  return free;
}

LeasedPool leasedPoolFrom(std::string pool, const PoolMetrics& metrics, const LeaseFacts& lease,
                          LeasePurpose purpose, std::optional<Money> negotiatedRate) {
  LeasedPool leased{.pool = std::move(pool),
                    .lease = lease.name,
                    .tenant = lease.tenant,
                    .purpose = purpose,
                    .homogeneous = metrics.homogeneous,
                    .models = {}};
  for (const ModelShare& share : metrics.models) {
    leased.models.push_back({.model = share.model,
                             .capacityGpus = share.tally.schedulableGpus,
                             .reservedGpus = 0,
                             .ratePerGpuHour = negotiatedRate.value_or(share.ratePerGpuHour)});
  }
  return leased;
}

CapacityLedger::CapacityLedger(std::vector<LeasedPool> pools) : pools_(std::move(pools)) {
  std::sort(pools_.begin(), pools_.end(),
            [](const LeasedPool& a, const LeasedPool& b) { return a.pool < b.pool; });
  for (std::size_t i = 1; i < pools_.size(); ++i) {
    if (pools_[i].pool == pools_[i - 1].pool) {
      throw std::invalid_argument("pool " + quoted(pools_[i].pool) +
                                  " appears twice in the capacity ledger");
    }
  }
}

const LeasedPool* CapacityLedger::find(std::string_view pool) const {
  const auto found = std::lower_bound(
      pools_.begin(), pools_.end(), pool,
      [](const LeasedPool& candidate, std::string_view name) { return candidate.pool < name; });
  return found != pools_.end() && found->pool == pool ? &*found : nullptr;
}

ModelCapacity* CapacityLedger::findModel(const Allocation& allocation) {
  LeasedPool* pool = const_cast<LeasedPool*>(find(allocation.pool));
  if (pool == nullptr) {
    throw std::invalid_argument("allocation names unknown pool " + quoted(allocation.pool));
  }
  for (ModelCapacity& capacity : pool->models) {
    if (capacity.model == allocation.model) {
      return &capacity;
    }
  }
  throw std::invalid_argument("allocation names a model pool " + quoted(allocation.pool) +
                              " does not have");
}

void CapacityLedger::reserve(const std::vector<Allocation>& allocations) {
  for (const Allocation& allocation : allocations) {
    if (allocation.gpus < 0 || findModel(allocation)->freeGpus() < allocation.gpus) {
      throw std::invalid_argument("allocation of " + std::to_string(allocation.gpus) +
                                  " GPUs exceeds the free capacity of pool " +
                                  quoted(allocation.pool));
    }
  }
  for (const Allocation& allocation : allocations) {
    findModel(allocation)->reservedGpus += allocation.gpus;
  }
}

void CapacityLedger::release(const std::vector<Allocation>& allocations) {
  for (const Allocation& allocation : allocations) {
    ModelCapacity* capacity = findModel(allocation);
    capacity->reservedGpus = std::max<std::int64_t>(0, capacity->reservedGpus - allocation.gpus);
  }
}

std::int64_t CapacityLedger::restore(const std::vector<Allocation>& allocations) {
  std::int64_t unattributed = 0;
  for (const Allocation& allocation : allocations) {
    LeasedPool* pool = const_cast<LeasedPool*>(find(allocation.pool));
    const auto model = pool == nullptr ? std::vector<ModelCapacity>::iterator{}
                                       : std::find_if(pool->models.begin(), pool->models.end(),
                                                      [&](const ModelCapacity& capacity) {
                                                        return capacity.model == allocation.model;
                                                      });
    if (pool == nullptr || model == pool->models.end()) {
      unattributed += allocation.gpus;
      continue;
    }
    model->reservedGpus += allocation.gpus;
  }
  return unattributed;
}

CapacityLedger CapacityLedger::without(std::string_view pool) const {
  std::vector<LeasedPool> kept;
  std::copy_if(pools_.begin(), pools_.end(), std::back_inserter(kept),
               [&](const LeasedPool& candidate) { return candidate.pool != pool; });
  return CapacityLedger(std::move(kept));
}

PlacementDecision place(const PlacementRequest& request, const TenantProfile& tenant,
                        const CapacityLedger& ledger, const Catalog& catalog) {
  if (request.gpus <= 0) {
    return failed("spec.gpus must be greater than zero, got " + std::to_string(request.gpus));
  }
  for (const std::string& model : request.allowedModels) {
    if (!catalog.findModel(model)) {
      return failed("allowed model " + quoted(model) + " is not in the GPU catalog");
    }
  }
  const Eligibility eligibility(request, tenant, catalog);
  const auto tenantPools = poolsOf(ledger, request.tenant);
  if (tenantPools.empty()) {
    return failed(eligibility.tenant() + " holds no active pool lease");
  }
  return request.workload == WorkloadType::Training
             ? placeTraining(request, eligibility, tenantPools, catalog)
             : placeInference(request, eligibility, tenantPools, catalog);
}

std::vector<Replacement> replaceTrainingAfterHandover(std::string_view lostPool,
                                                      const std::vector<BoundPlacement>& bound,
                                                      const TenantProfile& tenant,
                                                      CapacityLedger& ledger,
                                                      const Catalog& catalog) {
  std::vector<const BoundPlacement*> affected;
  for (const BoundPlacement& placement : bound) {
    const bool onLostPool =
        std::any_of(placement.allocations.begin(), placement.allocations.end(),
                    [&](const Allocation& allocation) { return allocation.pool == lostPool; });
    if (placement.request.workload == WorkloadType::Training &&
        placement.request.tenant == tenant.name && onLostPool) {
      affected.push_back(&placement);
    }
  }
  std::sort(affected.begin(), affected.end(), [](const auto* a, const auto* b) {
    if (a->request.gpus != b->request.gpus) {
      return a->request.gpus > b->request.gpus;
    }
    return a->request.name < b->request.name;
  });
  if (ledger.find(lostPool) != nullptr) {
    ledger = ledger.without(lostPool);
  }
  std::vector<Replacement> replacements;
  for (const BoundPlacement* placement : affected) {
    PlacementDecision decision = place(placement->request, tenant, ledger, catalog);
    if (decision.placed) {
      ledger.reserve(decision.allocations);
    }
    replacements.push_back({.placement = placement->request.name, .decision = std::move(decision)});
  }
  return replacements;
}

}  // namespace landlord::placement
