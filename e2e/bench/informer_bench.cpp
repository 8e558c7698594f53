// landlord-informer-bench: starts an informer on Nodes with the projection the
// placement controller uses, waits for the first full sync, and prints the
// time to sync, the process's resident memory before and after, and the bytes
// each cached Node costs.
//
// usage: landlord-informer-bench --kubeconfig PATH [--page-size N] [--full-json]
//   --full-json  cache whole Node objects instead, for comparison

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "landlord/operator/cache/informer.h"
#include "landlord/operator/client/rest_client.h"

namespace {

using nlohmann::json;
namespace kube = landlord::kube;

// What controllers read from a Node; everything else is dropped on arrival.
struct NodeView {
  std::string gpuProduct;  // nvidia.com/gpu.product
  std::string pool;        // landlord.dev/pool
  std::string tenant;      // landlord.dev/tenant
  int gpus = 0;            // capacity nvidia.com/gpu
  bool unschedulable = false;
  bool ready = false;
  bool tenantTaint = false;
};

NodeView projectNode(const json& node) {
  NodeView view;
  const json& metadata = node.at("metadata");
  if (auto labels = metadata.find("labels"); labels != metadata.end()) {
    view.gpuProduct = labels->value("nvidia.com/gpu.product", "");
    view.pool = labels->value("landlord.dev/pool", "");
    view.tenant = labels->value("landlord.dev/tenant", "");
  }
  const json spec = node.value("spec", json::object());
  view.unschedulable = spec.value("unschedulable", false);
  for (const json& taint : spec.value("taints", json::array())) {
    view.tenantTaint |= taint.value("key", "") == "landlord.dev/tenant";
  }
  const json status = node.value("status", json::object());
  view.gpus =
      std::atoi(status.value("capacity", json::object()).value("nvidia.com/gpu", "0").c_str());
  for (const json& condition : status.value("conditions", json::array())) {
    if (condition.value("type", "") == "Ready")
      view.ready = condition.value("status", "") == "True";
  }
  return view;
}

long residentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

template <class T>
int runBench(kube::Client& client, kube::Projection<T> projection, int64_t pageSize,
             const char* mode) {
  kube::Indexers indexers = {{"pool", kube::labelIndexer("landlord.dev/pool")},
                             {"model", kube::labelIndexer("nvidia.com/gpu.product")}};
  kube::ReflectorOptions options;
  options.pageSize = pageSize;
  malloc_trim(0);
  long before = residentBytes();
  auto started = std::chrono::steady_clock::now();
  kube::Informer<T> informer(client, kube::resources::nodes(), projection, indexers, options);
  informer.start();
  if (!informer.waitForSync(std::chrono::minutes(30))) {
    std::fprintf(stderr, "informer did not sync within 30 minutes\n");
    return 1;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  malloc_trim(0);  // return the list pages' parse buffers before measuring
  long after = residentBytes();
  std::size_t nodes = informer.store().size();
  std::printf("mode:                %s\n", mode);
  std::printf("nodes cached:        %zu\n", nodes);
  std::printf("time to sync:        %.2f s (page size %lld)\n", seconds,
              static_cast<long long>(pageSize));
  std::printf("RSS before:          %.1f MiB\n", before / 1048576.0);
  std::printf("RSS after sync:      %.1f MiB\n", after / 1048576.0);
  std::printf("bytes per Node:      %.0f\n",
              nodes ? static_cast<double>(after - before) / nodes : 0.0);
  std::printf("GPU models indexed:  %zu\n", informer.store().indexValues("model").size());
  informer.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string kubeconfig;
  int64_t pageSize = 500;
  bool fullJson = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--kubeconfig" && i + 1 < argc) {
      kubeconfig = argv[++i];
    } else if (arg == "--page-size" && i + 1 < argc) {
      pageSize = std::atoll(argv[++i]);
    } else if (arg == "--full-json") {
      fullJson = true;
    } else {
      std::fprintf(stderr, "usage: %s --kubeconfig PATH [--page-size N] [--full-json]\n", argv[0]);
      return 2;
    }
  }
  try {
    kube::KubeconfigOptions options;
    options.explicitPath = kubeconfig;
    kube::RestConfig config = kube::loadKubeconfig(options);
    config.qps = 0;  // measure the cache, not the client-side throttle
    auto client = kube::makeClient(config);
    if (fullJson) {
      return runBench<json>(
          *client, [](const json& node) { return node; }, pageSize, "full JSON");
    }
    return runBench<NodeView>(*client, projectNode, pageSize, "projection (NodeView)");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "landlord-informer-bench: %s\n", error.what());
    return 1;
  }
}
