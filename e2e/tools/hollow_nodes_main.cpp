// landlord-hollow-nodes: creates (or deletes) the kwok-managed GPU Nodes of a
// fleet file, concurrently, and prints the rate.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "hollow_node.h"
#include "landlord/operator/errors.h"
#include "landlord/operator/kubeconfig.h"
#include "landlord/operator/rest_client.h"
#include "landlord/placement/fleet.h"

namespace {

using landlord::placement::FleetSpec;
using landlord::placement::NodeGroupSpec;
namespace kube = landlord::kube;
namespace hollow = landlord::hollow;

constexpr const char* kUsage = R"(Usage: landlord-hollow-nodes --fleet FILE [flags]

Creates the fleet's GPU nodes as kwok-managed hollow Nodes (idempotent: nodes
that exist are left alone), or deletes them with --delete.

Flags:
  --fleet FILE         fleet description (YAML), e.g. e2e/fleets/reference.yaml
  --pool NAME          only this pool (repeatable; default: every pool)
  --kubeconfig PATH    kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
  --context NAME       kubeconfig context (default: current-context)
  --concurrency N      parallel requests, each on its own connection (default 8:
                       every extra TLS connection costs client CPU that the
                       API server, on the same 2 cores, needs more)
  --delete             delete the hollow nodes of the selected pools instead
  -h, --help           this text
)";

struct Options {
  std::string fleetFile;
  std::set<std::string> pools;
  std::string kubeconfig;
  std::string context;
  int concurrency = 8;
  bool remove = false;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Options parseOptions(int argc, char** argv) {
  Options options;
  auto value = [&](int& i, std::string_view flag) -> std::string {
    if (i + 1 >= argc) throw UsageError(std::string(flag) + " needs a value");
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--fleet") {
      options.fleetFile = value(i, arg);
    } else if (arg == "--pool") {
      options.pools.insert(value(i, arg));
    } else if (arg == "--kubeconfig") {
      options.kubeconfig = value(i, arg);
    } else if (arg == "--context") {
      options.context = value(i, arg);
    } else if (arg == "--concurrency") {
      const std::string text = value(i, arg);
      try {
        options.concurrency = std::stoi(text);
      } catch (const std::exception&) {
        throw UsageError("--concurrency: '" + text + "' is not a number");
      }
      if (options.concurrency < 1 || options.concurrency > 1024) {
        throw UsageError("--concurrency: must be between 1 and 1024, got " + text);
      }
    } else if (arg == "--delete") {
      options.remove = true;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else {
      throw UsageError("unknown flag '" + std::string(arg) + "'");
    }
  }
  if (options.fleetFile.empty()) throw UsageError("--fleet is required");
  return options;
}

FleetSpec readFleet(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open the fleet file");
  std::stringstream text;
  text << in.rdbuf();
  return landlord::placement::parseFleet(text.str(), path);
}

struct PlannedNode {
  std::string pool;
  const NodeGroupSpec* group;
  std::int64_t index;
};

std::vector<PlannedNode> planNodes(const FleetSpec& fleet, const std::set<std::string>& only) {
  std::vector<PlannedNode> plan;
  for (const auto& pool : fleet.pools) {
    if (!only.empty() && !only.contains(pool.name)) continue;
    for (const auto& group : pool.groups) {
      for (std::int64_t i = 0; i < group.nodes(); ++i) plan.push_back({pool.name, &group, i});
    }
  }
  return plan;
}

// Runs work(i) for i in [0, count) on `workers` threads, each with its own
// client (its own connection), and returns the first error message, if any.
struct Tally {
  std::atomic<std::int64_t> done{0};
  std::atomic<std::int64_t> skipped{0};
  std::atomic<std::int64_t> failed{0};
  std::mutex firstErrorMutex;
  std::string firstError;  // guarded by firstErrorMutex

  void fail(const std::string& message) {
    ++failed;
    std::lock_guard lock(firstErrorMutex);
    if (firstError.empty()) firstError = message;
  }
};

template <typename Work>
void runConcurrently(const kube::RestConfig& config, int workers, std::size_t count, Tally& tally,
                     Work work) {
  std::atomic<std::size_t> next{0};
  std::vector<std::jthread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      auto client = kube::makeClient(config);
      for (std::size_t i = next++; i < count; i = next++) {
        try {
          work(*client, i, tally);
        } catch (const std::exception& e) {
          tally.fail(e.what());
        }
      }
    });
  }
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int createNodes(const kube::RestConfig& config, const FleetSpec& fleet, const Options& options) {
  const auto plan = planNodes(fleet, options.pools);
  std::printf("creating %zu hollow nodes with %d concurrent connections to %s\n", plan.size(),
              options.concurrency, config.server.c_str());
  std::fflush(stdout);
  Tally tally;
  const auto start = std::chrono::steady_clock::now();
  runConcurrently(config, options.concurrency, plan.size(), tally,
                  [&](kube::Client& client, std::size_t i, Tally& t) {
                    const auto& node = plan[i];
                    try {
                      client.create(kube::resources::nodes(), "",
                                    hollow::hollowNode(node.pool, *node.group, node.index));
                      ++t.done;
                    } catch (const kube::AlreadyExistsError&) {
                      ++t.skipped;
                    }
                  });
  const double seconds = secondsSince(start);
  const auto created = tally.done.load();
  std::printf("created %lld nodes (%lld already existed) in %.1f s: %.0f nodes/s\n",
              static_cast<long long>(created), static_cast<long long>(tally.skipped.load()),
              seconds, seconds > 0 ? created / seconds : 0.0);
  std::fflush(stdout);
  if (tally.failed > 0) {
    std::fprintf(stderr, "error: %lld nodes could not be created; first error: %s\n",
                 static_cast<long long>(tally.failed.load()), tally.firstError.c_str());
    return 1;
  }
  return 0;
}

int deleteNodes(const kube::RestConfig& config, const FleetSpec& fleet, const Options& options) {
  auto client = kube::makeClient(config);
  std::vector<std::string> names;
  for (const auto& pool : fleet.pools) {
    if (!options.pools.empty() && !options.pools.contains(pool.name)) continue;
    kube::ListOptions list;
    list.labelSelector = hollow::hollowNodeSelector(pool.name);
    list.limit = 5000;
    for (auto& node : kube::listAll(*client, kube::resources::nodes(), "", list).items) {
      names.push_back(node["metadata"]["name"].get<std::string>());
    }
  }
  std::printf("deleting %zu hollow nodes\n", names.size());
  Tally tally;
  const auto start = std::chrono::steady_clock::now();
  runConcurrently(config, options.concurrency, names.size(), tally,
                  [&](kube::Client& c, std::size_t i, Tally& t) {
                    try {
                      c.remove(kube::resources::nodes(), "", names[i]);
                      ++t.done;
                    } catch (const kube::NotFoundError&) {
                      ++t.skipped;
                    }
                  });
  const double seconds = secondsSince(start);
  std::printf("deleted %lld nodes in %.1f s\n", static_cast<long long>(tally.done.load()), seconds);
  std::fflush(stdout);
  if (tally.failed > 0) {
    std::fprintf(stderr, "error: %lld nodes could not be deleted; first error: %s\n",
                 static_cast<long long>(tally.failed.load()), tally.firstError.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parseOptions(argc, argv);
    const FleetSpec fleet = readFleet(options.fleetFile);
    for (const auto& pool : options.pools) {
      bool known = false;
      for (const auto& p : fleet.pools) known = known || p.name == pool;
      if (!known) throw UsageError("--pool: no pool named '" + pool + "' in " + options.fleetFile);
    }
    kube::KubeconfigOptions kubeconfig;
    kubeconfig.explicitPath = options.kubeconfig;
    kubeconfig.context = options.context;
    kube::RestConfig config = kube::loadKubeconfig(kubeconfig);
    // A bulk loader: the API server's own flow control is the limit, not a
    // client-side token bucket.
    config.qps = 0;
    return options.remove ? deleteNodes(config, fleet, options)
                          : createNodes(config, fleet, options);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "landlord-hollow-nodes: %s\n\n%s", e.what(), kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "landlord-hollow-nodes: %s\n", e.what());
    return 1;
  }
}
