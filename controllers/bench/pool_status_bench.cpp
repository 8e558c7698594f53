// A GPUPool reconcile's status computation for colossus-1 (30,000 nodes): the full
// walk it did before (membership by selector over every node, then the summary)
// against the PoolIndex kept current per node event; and what one node event and
// one pool event cost the index.
//   cmake -S . -B build/h-scale-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANDLORD_SANITIZE=OFF
//   cmake --build build/h-scale-release --target controllers_bench
//   build/h-scale-release/controllers/bench/controllers_bench
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/nodes/pool_index.h"
#include "landlord/controllers/nodes/pool_membership.h"
#include "landlord/controllers/pools/pool_status.h"

namespace landlord::controllers {
namespace {

struct Group {
  const char* product;
  const char* model;
  int nodes;
  int gpusPerNode;
};
// colossus-1 of the reference fleet: 150,000 H100, 50,000 H200, 20,000 GB200.
constexpr Group kColossus1[] = {{"NVIDIA-H100-80GB-HBM3", "H100", 18'750, 8},
                                {"NVIDIA-H200", "H200", 6'250, 8},
                                {"NVIDIA-GB200", "GB200", 5'000, 4}};

api::GpuPool poolObject(const std::string& name) {
  api::GpuPool pool;
  pool.metadata.name = name;
  pool.spec.nodeSelector.matchLabels = {{"topology.kubernetes.io/zone", name}};
  return pool;
}

NodePtr nodeOf(const std::string& name, const Group& group, bool unschedulable = false) {
  kube::Cached<NodeInfo> node;
  node.meta = kube::ObjectMeta("", name, "", "1");
  node.value.labels = {{"topology.kubernetes.io/zone", "colossus-1"},
                       {"nvidia.com/gpu.product", group.product},
                       {std::string(api::kPoolLabel), "colossus-1"},
                       {std::string(api::kGpuModelLabel), group.model}};
  node.value.gpus = group.gpusPerNode;
  node.value.ready = true;
  node.value.unschedulable = unschedulable;
  return std::make_shared<const kube::Cached<NodeInfo>>(std::move(node));
}

struct Fleet {
  placement::Catalog catalog = placement::Catalog::defaults();
  std::vector<api::GpuPool> pools = {poolObject("colossus-1"), poolObject("colossus-2")};
  std::vector<NodePtr> nodes;
  PoolIndex index{catalog};

  Fleet() {
    for (const Group& group : kColossus1) {
      for (int i = 0; i < group.nodes; ++i) {
        nodes.push_back(
            nodeOf("colossus-1-" + std::string(group.model) + "-" + std::to_string(i), group));
      }
    }
    for (const api::GpuPool& pool : pools) {
      index.upsertPool(pool);
    }
    for (const NodePtr& node : nodes) {
      index.upsertNode(node);
    }
  }
};

Fleet& fleet() {
  static Fleet built;  // built once: the benchmarks only read it, or restore what they change
  return built;
}

void BM_PoolStatusFullWalk(benchmark::State& state) {
  Fleet& f = fleet();
  const api::GpuPool pool = f.pools.front();
  for (auto _ : state) {
    const PoolMembership membership = computeMembership("colossus-1", f.pools, f.nodes);
    const PoolSummary summary = summarize(membership, f.catalog);
    api::GpuPoolStatus status = buildPoolStatus(
        pool, summary, computePoolFigures(pool, summary, f.catalog), "2026-01-01T00:00:00Z");
    benchmark::DoNotOptimize(status);
  }
  state.counters["nodes"] = static_cast<double>(f.nodes.size());
}
BENCHMARK(BM_PoolStatusFullWalk)->Unit(benchmark::kMillisecond);

void BM_PoolStatusFromIndex(benchmark::State& state) {
  Fleet& f = fleet();
  const api::GpuPool pool = f.pools.front();
  for (auto _ : state) {
    const PoolLabelWork labels = f.index.labelWork("colossus-1");
    const PoolSummary summary = *f.index.summary("colossus-1");
    api::GpuPoolStatus status = buildPoolStatus(
        pool, summary, computePoolFigures(pool, summary, f.catalog), "2026-01-01T00:00:00Z");
    benchmark::DoNotOptimize(labels);
    benchmark::DoNotOptimize(status);
  }
  state.counters["nodes"] = static_cast<double>(f.nodes.size());
}
BENCHMARK(BM_PoolStatusFromIndex)->Unit(benchmark::kMicrosecond);

// A cordon seen by the informer: the node's update event.
void BM_PoolIndexNodeEvent(benchmark::State& state) {
  Fleet& f = fleet();
  const NodePtr cordoned = nodeOf("colossus-1-H100-42", kColossus1[0], true);
  const NodePtr uncordoned = nodeOf("colossus-1-H100-42", kColossus1[0], false);
  bool flip = false;
  for (auto _ : state) {
    f.index.upsertNode((flip = !flip) ? cordoned : uncordoned);
  }
  f.index.upsertNode(uncordoned);
}
BENCHMARK(BM_PoolIndexNodeEvent)->Unit(benchmark::kMicrosecond);

// A pool's selector edited: every node is related to the pools again.
void BM_PoolIndexSelectorChange(benchmark::State& state) {
  Fleet& f = fleet();
  api::GpuPool edited = f.pools.back();
  edited.spec.nodeSelector.matchLabels["nvidia.com/gpu.product"] = "NVIDIA-B200";
  bool flip = false;
  for (auto _ : state) {
    f.index.upsertPool((flip = !flip) ? edited : f.pools.back());
  }
  f.index.upsertPool(f.pools.back());
}
BENCHMARK(BM_PoolIndexSelectorChange)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace landlord::controllers

BENCHMARK_MAIN();
