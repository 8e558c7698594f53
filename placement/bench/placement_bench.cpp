// Placement decisions per second and node-event updates per second at fleet scale.
//   cmake -S . -B build-placement-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANDLORD_SANITIZE=OFF
//   cmake --build build-placement-rel --target placement_bench
//   build-placement-rel/placement/bench/placement_bench
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "landlord/placement/catalog.h"
#include "landlord/placement/fleet.h"
#include "landlord/placement/ownership.h"
#include "landlord/placement/placement.h"
#include "landlord/placement/pool_model.h"
#include "landlord/placement/resolved_fleet.h"

namespace landlord::placement {
namespace {

constexpr int kPendingRequests = 10'000;

constexpr std::string_view kReferenceFleet = R"(name: reference
pools:
  - name: colossus-1
    groups:
      - {product: NVIDIA-H100-80GB-HBM3, gpus: 150000, gpusPerNode: 8}
      - {product: NVIDIA-H200, gpus: 50000, gpusPerNode: 8}
      - {product: NVIDIA-GB200, gpus: 20000, gpusPerNode: 4}
  - name: colossus-2
    groups:
      - {product: NVIDIA-GB200, gpus: 110000, gpusPerNode: 4}
)";

struct Scenario {
  std::vector<TenantProfile> tenants;
  std::vector<PlacementRequest> requests;
  std::vector<std::size_t> tenantOf;  // index into tenants, per request
  CapacityLedger ledger{{}};
};

void addPendingRequests(Scenario& scenario, std::int64_t maxGpus) {
  std::mt19937_64 random(42);  // fixed seed: every run measures the same work
  std::uniform_int_distribution<std::int64_t> nodes(1, maxGpus / 8);
  for (int i = 0; i < kPendingRequests; ++i) {
    const std::size_t tenant = random() % scenario.tenants.size();
    scenario.tenantOf.push_back(tenant);
    scenario.requests.push_back(
        {.name = "req-" + std::to_string(i),
         .tenant = scenario.tenants[tenant].name,
         .workload = random() % 2 == 0 ? WorkloadType::Training : WorkloadType::Inference,
         .gpus = nodes(random) * 8,
         .allowedModels = {}});
  }
}

Scenario referenceScenario(const Catalog& catalog) {
  const ResolvedFleet fleet = resolveFleet(parseFleet(kReferenceFleet, "reference"), catalog);
  Scenario scenario;
  scenario.tenants = {{.name = "owner", .qualifiedArchitectures = {"hopper", "blackwell"}},
                      {.name = "lessee", .qualifiedArchitectures = {"hopper", "blackwell"}}};
  const auto lease = [&](const std::string& pool, const std::string& tenant, LeasePurpose purpose) {
    const LeaseFacts facts{.name = tenant + "-" + pool,
                           .pool = pool,
                           .tenant = tenant,
                           .phase = LeasePhase::Active,
                           .supersedes = std::nullopt};
    return leasedPoolFrom(pool, fleet.findPool(pool)->metrics, facts, purpose, std::nullopt);
  };
  scenario.ledger = CapacityLedger({lease("colossus-2", "owner", LeasePurpose::Any),
                                    lease("colossus-1", "lessee", LeasePurpose::Any)});
  addPendingRequests(scenario, 512);
  return scenario;
}

// 100 pools of 5,500 H100-equivalents each (550,000 in all): a third homogeneous
// H100, a third homogeneous GB200, a third mixed; ten tenants hold ten pools each.
Scenario syntheticScenario(const Catalog& catalog) {
  const ModelId h100 = *catalog.findModel("H100");
  const ModelId h200 = *catalog.findModel("H200");
  const ModelId gb200 = *catalog.findModel("GB200");
  Scenario scenario;
  for (int t = 0; t < 10; ++t) {
    scenario.tenants.push_back(
        {.name = "tenant-" + std::to_string(t), .qualifiedArchitectures = {"hopper", "blackwell"}});
  }
  std::vector<LeasedPool> pools;
  for (int i = 0; i < 100; ++i) {
    Composition composition(catalog.size());
    const auto add = [&](ModelId model, std::int64_t gpus) {
      composition.add(
          model,
          {.nodes = gpus / 4, .gpus = gpus, .schedulableNodes = gpus / 4, .schedulableGpus = gpus});
    };
    switch (i % 3) {
      case 0:
        add(h100, 5'500);
        break;
      case 1:
        add(gb200, 2'200);
        break;
      default:
        add(h100, 2'500);
        add(h200, 1'000);
        add(gb200, 800);
    }
    const std::string name = "pool-" + std::to_string(i);
    const LeaseFacts facts{.name = name,
                           .pool = name,
                           .tenant = scenario.tenants[i % 10].name,
                           .phase = LeasePhase::Active,
                           .supersedes = std::nullopt};
    pools.push_back(leasedPoolFrom(name, computeMetrics(composition, catalog), facts,
                                   LeasePurpose::Any, std::nullopt));
  }
  scenario.ledger = CapacityLedger(std::move(pools));
  addPendingRequests(scenario, 512);
  return scenario;
}

void placeAll(benchmark::State& state, const Scenario& scenario, const Catalog& catalog) {
  std::int64_t placed = 0;
  for (auto _ : state) {
    CapacityLedger ledger = scenario.ledger;
    for (std::size_t i = 0; i < scenario.requests.size(); ++i) {
      const PlacementRequest& request = scenario.requests[i];
      const TenantProfile& tenant = scenario.tenants[scenario.tenantOf[i]];
      PlacementDecision decision = place(request, tenant, ledger, catalog);
      if (decision.placed) {
        ledger.reserve(decision.allocations);
        ++placed;
      }
      benchmark::DoNotOptimize(decision);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(scenario.requests.size()));
  state.counters["placed_per_pass"] =
      static_cast<double>(placed) / static_cast<double>(state.iterations());
}

void BM_PlaceReferenceFleet(benchmark::State& state) {
  const Catalog catalog = Catalog::defaults();
  placeAll(state, referenceScenario(catalog), catalog);
}
BENCHMARK(BM_PlaceReferenceFleet)->Unit(benchmark::kMillisecond);

void BM_PlaceSyntheticFleet100Pools(benchmark::State& state) {
  const Catalog catalog = Catalog::defaults();
  placeAll(state, syntheticScenario(catalog), catalog);
}
BENCHMARK(BM_PlaceSyntheticFleet100Pools)->Unit(benchmark::kMillisecond);

// colossus-1 as nodes: 18,750 H100 + 6,250 H200 + 5,000 GB200 = 30,000 nodes, hit at
// random. Three iterations in four apply one update (cordon or uncordon); the fourth
// applies two events, a delete and a re-add. items_per_second counts events.
void BM_NodeEvents30000NodePool(benchmark::State& state) {
  const Catalog catalog = Catalog::defaults();
  std::vector<NodeFacts> nodes;
  nodes.reserve(30'000);
  const auto addGroup = [&](const char* product, int count, int gpus) {
    for (int i = 0; i < count; ++i) {
      nodes.push_back({.name = std::string(product) + "-" + std::to_string(i),
                       .product = product,
                       .gpus = gpus});
    }
  };
  addGroup("NVIDIA-H100-80GB-HBM3", 18'750, 8);
  addGroup("NVIDIA-H200", 6'250, 8);
  addGroup("NVIDIA-GB200", 5'000, 4);
  PoolModel pool(catalog);
  for (const NodeFacts& node : nodes) {
    pool.upsert(node);
  }
  std::mt19937_64 random(7);
  std::vector<std::size_t> order(1 << 16);
  for (std::size_t& index : order) {
    index = random() % nodes.size();
  }
  std::size_t event = 0;
  for (auto _ : state) {
    NodeFacts& node = nodes[order[event % order.size()]];
    if (event % 4 == 3) {
      pool.remove(node.name);
      pool.upsert(node);
    } else {
      node.unschedulable = !node.unschedulable;
      pool.upsert(node);
    }
    ++event;
    benchmark::DoNotOptimize(pool.composition().total());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(event + event / 4));
  if (pool.nodeCount() != 30'000) {
    state.SkipWithError("pool lost nodes");
  }
}
BENCHMARK(BM_NodeEvents30000NodePool);

// The ownership decision for every node of a 30,000-node pool still fully held by the
// outgoing tenant, each with one of its pods (what a verification walk of a pool's
// members costs when a lease changes phase).
void BM_DecideOwnership30000Nodes(benchmark::State& state) {
  const NodeMarks owned{.pool = "colossus-1",
                        .gpuModel = "H100",
                        .tenant = "owner",
                        .tenantTaints = {{"owner", "NoSchedule"}},
                        .holdTaints = {}};
  const DesiredOwner release{.pool = "colossus-1",
                             .gpuModel = "H100",
                             .mode = OwnerMode::Hold,
                             .tenant = "owner",
                             .evict = true};
  std::vector<std::vector<NodePod>> pods;
  for (int i = 0; i < 30'000; ++i) {
    pods.push_back({NodePod{.pod = {.namespace_ = "train", .name = "w-" + std::to_string(i)},
                            .tenant = "owner"}});
  }
  for (auto _ : state) {
    std::size_t writes = 0;
    for (const std::vector<NodePod>& onNode : pods) {
      writes += decideOwnership(owned, release, onNode).write ? 1 : 0;
    }
    benchmark::DoNotOptimize(writes);
  }
  state.SetItemsProcessed(state.iterations() * 30'000);
}
BENCHMARK(BM_DecideOwnership30000Nodes)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace landlord::placement

BENCHMARK_MAIN();
