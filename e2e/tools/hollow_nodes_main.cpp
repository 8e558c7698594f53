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
#include "http_connection.h"
#include "landlord/operator/base/errors.h"
#include "landlord/operator/client/kubeconfig.h"
#include "landlord/operator/client/rest_client.h"
#include "landlord/operator/client/tls_material.h"
#include "landlord/operator/client/transport.h"
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
  --encoding ENC       protobuf (default): Node bodies in the API server's
                       protobuf encoding over one lean HTTP/1.1 connection per
                       worker; json: JSON through the operator's REST client
                       (cpprestsdk), for comparison
  --delete             delete the hollow nodes of the selected pools instead
  -h, --help           this text
)";

struct Options {
  std::string fleetFile;
  std::set<std::string> pools;
  std::string kubeconfig;
  std::string context;
  int concurrency = 8;
  bool protobuf = true;
  bool remove = false;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Options parseOptions(int argc, char** argv) {
  Options options;
  auto value = [&](int& i, std::string_view flag) -> std::string {
    if (i + 1 >= argc)
      throw UsageError(std::string(flag) + " needs a value");
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
    } else if (arg == "--encoding") {
      const std::string encoding = value(i, arg);
      if (encoding != "protobuf" && encoding != "json") {
        throw UsageError("--encoding: must be protobuf or json, got '" + encoding + "'");
      }
      options.protobuf = encoding == "protobuf";
    } else if (arg == "--delete") {
      options.remove = true;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else {
      throw UsageError("unknown flag '" + std::string(arg) + "'");
    }
  }
  if (options.fleetFile.empty())
    throw UsageError("--fleet is required");
  return options;
}

FleetSpec readFleet(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(path + ": cannot open the fleet file");
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
    if (!only.empty() && !only.contains(pool.name))
      continue;
    for (const auto& group : pool.groups) {
      for (std::int64_t i = 0; i < group.nodes(); ++i)
        plan.push_back({pool.name, &group, i});
    }
  }
  return plan;
}

// One worker's connections: a lean HTTP/1.1 connection for the protobuf
// creates and, made on first use, a JSON client for everything else.
class Connection {
 public:
  Connection(const kube::RestConfig& config, std::shared_ptr<const kube::TlsMaterial> tls)
      : config_(config), tls_(std::move(tls)) {}

  hollow::HttpConnection& http() {
    if (!http_)
      http_ = std::make_unique<hollow::HttpConnection>(config_, tls_);
    return *http_;
  }
  kube::Client& client() {
    if (!client_)
      client_ = kube::makeClient(config_);
    return *client_;
  }

 private:
  const kube::RestConfig& config_;
  const std::shared_ptr<const kube::TlsMaterial> tls_;
  std::unique_ptr<hollow::HttpConnection> http_;
  std::unique_ptr<kube::Client> client_;
};

struct Tally {
  std::atomic<std::int64_t> done{0};
  std::atomic<std::int64_t> skipped{0};
  std::atomic<std::int64_t> failed{0};
  std::mutex firstErrorMutex;
  std::string firstError;  // guarded by firstErrorMutex

  void fail(const std::string& message) {
    ++failed;
    std::lock_guard lock(firstErrorMutex);
    if (firstError.empty())
      firstError = message;
  }
};

// Runs work(connection, i, tally) for i in [0, count) on `workers` threads,
// each with its own connections; errors are tallied, the first one kept.
template <typename Work>
void runConcurrently(const kube::RestConfig& config, int workers, std::size_t count, Tally& tally,
                     Work work) {
  std::atomic<std::size_t> next{0};
  const auto tls = kube::validatedTlsMaterial(config);
  std::vector<std::jthread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      Connection connection(config, tls);
      for (std::size_t i = next++; i < count; i = next++) {
        try {
          work(connection, i, tally);
        } catch (const std::exception& e) {
          tally.fail(e.what());
        }
      }
    });
  }
}

enum class CreateResult { Created, AlreadyExisted };

CreateResult createAsJson(Connection& connection, const hollow::HollowNode& node) {
  try {
    connection.client().create(kube::resources::nodes(), "", hollow::toJson(node));
    return CreateResult::Created;
  } catch (const kube::AlreadyExistsError&) {
    return CreateResult::AlreadyExisted;
  }
}

CreateResult createAsProtobuf(Connection& connection, const hollow::HollowNode& node) {
  kube::HttpRequest request;
  request.method = "POST";
  request.path = "/api/v1/nodes";
  request.contentType = hollow::kProtobufContentType;
  request.accept = hollow::kProtobufContentType;
  request.body = hollow::toProtobuf(node);
  try {
    const kube::HttpResponse response = connection.http().send(request);
    if (response.status >= 200 && response.status < 300)
      return CreateResult::Created;
    if (response.status == 409)
      return CreateResult::AlreadyExisted;
  } catch (const kube::TransportError&) {
  }
  // Throttled, a server error, or no answer: the JSON client retries what is
  // retryable and reports the rest as an error naming the node and reason.
  return createAsJson(connection, node);
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int createNodes(const kube::RestConfig& config, const FleetSpec& fleet, const Options& options) {
  const auto plan = planNodes(fleet, options.pools);
  std::printf("creating %zu hollow nodes with %d concurrent connections to %s (%s)\n", plan.size(),
              options.concurrency, config.server.c_str(), options.protobuf ? "protobuf" : "json");
  std::fflush(stdout);
  Tally tally;
  const auto start = std::chrono::steady_clock::now();
  runConcurrently(
      config, options.concurrency, plan.size(), tally,
      [&](Connection& connection, std::size_t i, Tally& t) {
        const auto& planned = plan[i];
        const auto node = hollow::hollowNode(planned.pool, *planned.group, planned.index);
        const CreateResult result =
            options.protobuf ? createAsProtobuf(connection, node) : createAsJson(connection, node);
        ++(result == CreateResult::Created ? t.done : t.skipped);
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
    if (!options.pools.empty() && !options.pools.contains(pool.name))
      continue;
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
                  [&](Connection& connection, std::size_t i, Tally& t) {
                    try {
                      connection.client().remove(kube::resources::nodes(), "", names[i]);
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
      for (const auto& p : fleet.pools)
        known = known || p.name == pool;
      if (!known)
        throw UsageError("--pool: no pool named '" + pool + "' in " + options.fleetFile);
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
