// landlord-patch-loop: hands a pool's nodes from one tenant to another with a bare
// loop: the node writes the operator's node ownership controller sends (same
// decision, same conditional patch, same kube Client), issued by N workers, with no
// controller around them.
// Its time is the ceiling for a handover through the operator's client at that
// concurrency (the API server's own ceiling is higher: see the hollow-node loader).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "landlord/controllers/nodes/pool_membership.h"
#include "landlord/controllers/ownership/node_marks.h"
#include "landlord/controllers/projections/node.h"
#include "landlord/operator/base/errors.h"
#include "landlord/operator/client/kubeconfig.h"
#include "landlord/operator/client/rest_client.h"
#include "landlord/placement/ownership.h"
#include "pooled_transport.h"

namespace {

namespace kube = landlord::kube;
namespace placement = landlord::placement;
namespace controllers = landlord::controllers;
using controllers::NodeInfo;
using controllers::NodePtr;
using nlohmann::json;

constexpr const char* kUsage = R"(Usage: landlord-patch-loop --pool NAME --selector SELECTOR [flags]

Hands the selected nodes over as landlord's node ownership controller does, from
N workers sharing one kube Client: with --from, one write per node holds it for
the outgoing tenant (Hold); then one write gives it to the incoming tenant
(Transfer), or, without --to, releases it (Release). No pods are evicted: run it
on nodes without the outgoing tenant's pods. Prints the writes per step and the
wall time.

Flags:
  --pool NAME            the pool (its name goes into the hold taint)
  --selector SELECTOR    the pool's nodes, e.g. topology.kubernetes.io/zone=colossus-1
  --from LEASE:TENANT    the outgoing lease (omit to provision a free pool)
  --to LEASE:TENANT      the incoming lease (omit to release the pool)
  --concurrency N        workers sharing the client (default 8, the operator's)
  --kube-api-qps Q       client-side rate limit (default 0: none)
  --kube-api-burst B     client-side burst (default 1000)
  --kubeconfig PATH      kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
  --transport T          cpprest (default: the operator's own) or pooled (one
                         blocking HTTP/1.1 connection per worker, as the
                         hollow-node loader uses): the client's share of the time
  -h, --help             this text
)";

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LeaseParty {
  std::string lease;
  std::string tenant;
};

struct Options {
  std::string pool;
  std::string selector;
  std::optional<LeaseParty> from;
  std::optional<LeaseParty> to;
  int concurrency = 8;
  double qps = 0;
  int burst = 1000;
  std::string kubeconfig;
  bool pooledTransport = false;
};

LeaseParty parseParty(const std::string& flag, const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw UsageError(flag + ": expected LEASE:TENANT, got '" + text + "'");
  }
  return LeaseParty{text.substr(0, colon), text.substr(colon + 1)};
}

int parseInt(const std::string& flag, const std::string& text, int min, int max) {
  int value = 0;
  try {
    value = std::stoi(text);
  } catch (const std::exception&) {
    throw UsageError(flag + ": '" + text + "' is not a number");
  }
  if (value < min || value > max) {
    throw UsageError(flag + ": must be between " + std::to_string(min) + " and " +
                     std::to_string(max) + ", got " + text);
  }
  return value;
}

Options parseOptions(int argc, char** argv) {
  Options options;
  auto value = [&](int& i, const std::string& flag) -> std::string {
    if (i + 1 >= argc)
      throw UsageError(flag + " needs a value");
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--pool") {
      options.pool = value(i, arg);
    } else if (arg == "--selector") {
      options.selector = value(i, arg);
    } else if (arg == "--from") {
      options.from = parseParty(arg, value(i, arg));
    } else if (arg == "--to") {
      options.to = parseParty(arg, value(i, arg));
    } else if (arg == "--concurrency") {
      options.concurrency = parseInt(arg, value(i, arg), 1, 1024);
    } else if (arg == "--kube-api-qps") {
      options.qps = parseInt(arg, value(i, arg), 0, 1'000'000);
    } else if (arg == "--kube-api-burst") {
      options.burst = parseInt(arg, value(i, arg), 1, 1'000'000);
    } else if (arg == "--kubeconfig") {
      options.kubeconfig = value(i, arg);
    } else if (arg == "--transport") {
      const std::string transport = value(i, arg);
      if (transport != "cpprest" && transport != "pooled") {
        throw UsageError("--transport: must be cpprest or pooled, got '" + transport + "'");
      }
      options.pooledTransport = transport == "pooled";
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else {
      throw UsageError("unknown flag '" + arg + "'");
    }
  }
  if (options.pool.empty())
    throw UsageError("--pool is required");
  if (options.selector.empty())
    throw UsageError("--selector is required");
  if (!options.from && !options.to)
    throw UsageError("give --from, --to or both");
  return options;
}

NodePtr cachedNode(const json& object) {
  return std::make_shared<const kube::Cached<NodeInfo>>(
      kube::Cached<NodeInfo>{kube::objectMetaOf(object), controllers::projectNode(object), {}});
}

std::vector<NodePtr> listNodes(kube::Client& client, const std::string& selector) {
  kube::ListOptions options;
  options.labelSelector = selector;
  options.limit = 5000;
  std::vector<NodePtr> nodes;
  for (const json& object : kube::listAll(client, kube::resources::nodes(), "", options).items) {
    nodes.push_back(cachedNode(object));
  }
  std::sort(nodes.begin(), nodes.end(),
            [](const NodePtr& a, const NodePtr& b) { return a->meta.name() < b->meta.name(); });
  return nodes;
}

// Brings every node to `desired` from `workers` threads through the shared client,
// one conditional write per node, and keeps `nodes` current from the responses
// (each node is written by one worker).
struct StepOutcome {
  std::size_t patched = 0;
  std::size_t stale = 0;  // refused with 409: the node changed since it was read
};

StepOutcome runStep(kube::Client& client, std::vector<NodePtr>& nodes,
                    const placement::DesiredOwner& desired, int workers) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> patched{0};
  std::atomic<std::size_t> stale{0};
  std::mutex failureMutex;
  std::exception_ptr failure;  // guarded by failureMutex
  auto work = [&] {
    for (std::size_t i = next++; i < nodes.size(); i = next++) {
      NodePtr& node = nodes[i];
      const std::string name(node->meta.name());
      try {
        placement::DesiredOwner wanted = desired;
        wanted.gpuModel = controllers::marksOf(node->value).gpuModel;
        const placement::OwnershipDecision decision =
            placement::decideOwnership(controllers::marksOf(node->value), wanted, {});
        if (!decision.write)
          continue;
        // As the operator writes, but decoding the written node: the loop has no
        // informer to bring it.
        const std::optional<json> patch = controllers::ownershipPatch(*node, *decision.write);
        if (!patch)
          continue;
        node = cachedNode(
            client.patch(kube::resources::nodes(), "", name, kube::PatchType::Merge, *patch));
        ++patched;
      } catch (const kube::ConflictError&) {
        // Someone else (kwok) wrote the node since it was read: like the operator,
        // read it again and let the next plan retry it.
        ++stale;
        node = cachedNode(client.get(kube::resources::nodes(), "", name));
      } catch (...) {
        std::lock_guard lock(failureMutex);
        failure = failure ? failure : std::current_exception();
        return;
      }
    }
  };
  {
    std::vector<std::jthread> threads;
    for (int w = 1; w < workers; ++w)
      threads.emplace_back(work);
    work();
  }
  if (failure)
    std::rethrow_exception(failure);
  return StepOutcome{patched.load(), stale.load()};
}

int run(const Options& options) {
  kube::KubeconfigOptions kubeconfig;
  kubeconfig.explicitPath = options.kubeconfig;
  kube::RestConfig config = kube::loadKubeconfig(kubeconfig);
  config.qps = options.qps;
  config.burst = options.burst;
  const auto client =
      options.pooledTransport
          ? kube::makeRestClient(landlord::hollow::makePooledHttpTransport(config),
                                 kube::RestClientOptions{nullptr, config.qps, config.burst})
          : kube::makeClient(config);

  std::vector<NodePtr> nodes = listNodes(*client, options.selector);
  if (nodes.empty())
    throw std::runtime_error("no node matches '" + options.selector + "'");
  std::printf("patch-loop: %zu nodes of pool %s, %d workers on one %s client to %s\n", nodes.size(),
              options.pool.c_str(), options.concurrency,
              options.pooledTransport ? "pooled HTTP/1.1" : "cpprest", config.server.c_str());
  std::fflush(stdout);

  std::vector<std::pair<std::string, placement::DesiredOwner>> steps;
  const auto desired = [&](placement::OwnerMode mode, const std::string& tenant) {
    return placement::DesiredOwner{.pool = options.pool,
                                   .gpuModel = std::nullopt,
                                   .mode = mode,
                                   .tenant = tenant,
                                   .evict = true};
  };
  if (options.from) {
    steps.emplace_back("Hold", desired(placement::OwnerMode::Hold, options.from->tenant));
  }
  steps.emplace_back(options.to ? "Transfer" : "Release",
                     options.to ? desired(placement::OwnerMode::Own, options.to->tenant)
                                : desired(placement::OwnerMode::Free, ""));
  std::map<std::string, std::size_t> perStep;
  std::size_t total = 0;
  std::size_t stale = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& [name, want] : steps) {
    // A write refused as stale re-reads its node; go round until none is left.
    for (;;) {
      const StepOutcome outcome = runStep(*client, nodes, want, options.concurrency);
      perStep[name] += outcome.patched;
      total += outcome.patched;
      stale += outcome.stale;
      if (outcome.stale == 0)
        break;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("patch-loop:");
  for (const auto& [stage, count] : perStep)
    std::printf(" %s %zu", stage.c_str(), count);
  std::printf(
      "\npatch-loop: %zu node patches (%zu more refused as stale) in %.1f s: %.0f "
      "patches/s\n",
      total, stale, seconds, seconds > 0 ? static_cast<double>(total) / seconds : 0.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parseOptions(argc, argv));
  } catch (const UsageError& e) {
    std::fprintf(stderr, "landlord-patch-loop: %s\n\n%s", e.what(), kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "landlord-patch-loop: %s\n", e.what());
    return 1;
  }
}
