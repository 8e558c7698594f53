// landlord-operator: parses flags, sets up logging, connects to the API
// server, and runs the manager (metrics and health servers, leader election,
// controllers) until SIGTERM/SIGINT or lost leadership.

#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "flags.h"
#include "landlord/controllers/setup.h"
#include "landlord/operator/base/logging.h"
#include "landlord/operator/client/kubeconfig.h"
#include "landlord/operator/client/rest_client.h"
#include "landlord/operator/client/rest_client_metrics.h"
#include "landlord/operator/healthz/health.h"
#include "landlord/operator/leaderelection/leader_election_metrics.h"
#include "landlord/operator/manager/heap_trimmer.h"
#include "landlord/operator/manager/lease_election.h"
#include "landlord/operator/manager/manager.h"
#include "landlord/operator/manager/signals.h"
#include "landlord/operator/metrics/metrics.h"
#include "landlord/operator/metrics/metrics_server.h"
#include "landlord/operator/server/http_server.h"
#include "landlord/operator/webhook/webhook_server.h"
#include "landlord/placement/catalog.h"

namespace kube = landlord::kube;

namespace {

constexpr const char* kProgram = "landlord-operator";
constexpr int kExitUsage = 2;

// glibc gives threads that contend for malloc arenas of their own (up to eight
// per core), and each arena keeps what its threads freed. With the informers,
// the reconcile workers and the HTTP client's threads, two arenas held the same
// caches in 14 % less memory at 30,000 nodes (25 % at 2,000), with no change in
// handover time (e2e/bench/handover-30k, side by side). MALLOC_ARENA_MAX in the
// environment still decides.
void limitMallocArenas() {
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) {
    mallopt(M_ARENA_MAX, 2);
  }
}

kube::Logger setUpLogging(const kube::OperatorFlags& flags) {
  auto logger = kube::makeSpdlogLogger("setup", flags.logFormat, flags.logLevel);
  // Libraries that log through spdlog's default logger use the same format.
  spdlog::set_default_logger(kube::makeSpdlogLogger("", flags.logFormat, flags.logLevel));
  return kube::Logger(logger);
}

// "<hostname>_<random>", unique per process as client-go recommends.
std::string leaderIdentity() {
  char host[256] = {};
  ::gethostname(host, sizeof(host) - 1);
  std::random_device random;
  return std::string(host) + "_" + std::to_string(random()) + std::to_string(random());
}

std::unique_ptr<kube::Election> makeElection(const kube::OperatorFlags& flags,
                                             const kube::RestConfig& config, kube::Client& client,
                                             const kube::Clock& clock,
                                             kube::LeaderElectionMetrics& observer) {
  if (!flags.leaderElect) {
    return nullptr;
  }
  kube::LeaderElectionConfig election;
  election.leaseNamespace = !flags.leaderElectionNamespace.empty() ? flags.leaderElectionNamespace
                                                                   : config.defaultNamespace;
  if (election.leaseNamespace.empty()) {
    throw std::runtime_error(
        "cannot tell the leader election namespace outside a cluster: set "
        "--leader-election-namespace");
  }
  election.leaseName = flags.leaderElectionId;
  election.identity = leaderIdentity();
  election.leaseDuration = flags.leaderElectLeaseDuration;
  election.renewDeadline = flags.leaderElectRenewDeadline;
  election.retryPeriod = flags.leaderElectRetryPeriod;
  return kube::makeLeaseElection(client, std::move(election), clock, &observer);
}

// The --catalog file, or the built-in catalog when none is given. A catalog that
// cannot be read or parsed stops the operator before it measures any pool with it.
landlord::placement::Catalog loadCatalog(const std::string& path) {
  if (path.empty()) {
    return landlord::placement::Catalog::defaults();
  }
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw std::runtime_error("--catalog " + path + ": is a directory, not a catalog file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("--catalog " + path + ": cannot open: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw std::runtime_error("--catalog " + path + ": read failed");
  }
  try {
    return landlord::placement::parseCatalog(text.str(), path);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("--catalog: ") + e.what());
  }
}

// Every open connection holds a descriptor, and the webhook server must keep
// answering with thousands of idle ones open: raise the soft limit on open
// files to the hard limit, as Go does at startup.
void raiseOpenFileLimit(const kube::Logger& log) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) {
    return;
  }
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    log.debug("raised the open file limit from {} to {}", before, limit.rlim_cur);
  } else {
    log.info("cannot raise the open file limit above {}: {}", before, std::strerror(errno));
  }
}

void serveMetrics(kube::Manager& manager, const std::string& address,
                  const std::shared_ptr<kube::metrics::Registry>& registry,
                  const kube::Logger& log) {
  if (address == "0") {
    return;
  }
  auto server = std::make_unique<kube::metrics::MetricsServer>(address, registry, log);
  server->listen();
  manager.add(std::move(server));
}

// On a server of its own, answering on its I/O thread: a probe never waits
// behind a webhook request, a scrape or a slow client.
void serveHealthProbes(kube::Manager& manager, const std::string& address,
                       const kube::HealthChecks& healthz, const kube::HealthChecks& readyz,
                       const kube::Logger& log) {
  if (address == "0") {
    return;
  }
  kube::EndpointServerOptions options;
  options.name = "health probe";
  options.bindAddress = address;
  options.maxBodyBytes = 0;  // probes are GETs
  auto server = std::make_unique<kube::EndpointServer>(std::move(options), log);
  healthz.serveOn(*server);
  readyz.serveOn(*server);
  server->listen();
  manager.add(std::move(server));
}

// Every replica serves the webhooks (the API server may call any of them). Until
// the caches have listed, a handler would judge from an empty world, so it
// refuses with 503 and the API server's failurePolicy decides.
void serveWebhooks(kube::Manager& manager, const kube::OperatorFlags& flags,
                   const landlord::controllers::Controllers& controllers,
                   prometheus::Registry& registry, const kube::Logger& log) {
  if (flags.webhookBindAddress == "0") {
    return;
  }
  kube::WebhookServerOptions options;
  options.bindAddress = flags.webhookBindAddress;
  options.certDir = flags.webhookCertPath;
  options.certName = flags.webhookCertName;
  options.keyName = flags.webhookCertKey;
  options.registry = &registry;
  auto server = std::make_unique<kube::WebhookServer>(std::move(options), log);
  for (kube::AdmissionWebhook webhook : controllers.admissionWebhooks()) {
    webhook.handler = [&controllers, handler = std::move(webhook.handler)](
                          const kube::AdmissionRequest& request) {
      if (!controllers.synced()) {
        return kube::AdmissionResponse::deny(
            "landlord-operator has not synced its caches yet; retry in a few seconds", 503,
            "ServiceUnavailable");
      }
      return handler(request);
    };
    server->handle(std::move(webhook));
  }
  server->listen();
  manager.add(std::move(server));
}

int runOperator(const kube::OperatorFlags& flags) {
  const kube::Logger log = setUpLogging(flags);
  kube::SignalStopper signals(log);  // first: threads inherit its signal mask
  raiseOpenFileLimit(log);
  try {
    const landlord::placement::Catalog catalog = loadCatalog(flags.catalogPath);
    log.info("GPU catalog: {} models from {}", catalog.models().size(),
             flags.catalogPath.empty() ? "the built-in catalog" : flags.catalogPath);
    kube::RestConfig config = kube::loadConfig({flags.kubeconfig, flags.context});
    config.qps = flags.kubeApiQps;
    config.burst = flags.kubeApiBurst;
    log.info("using API server {} (context {}, from {})", config.server, config.contextName,
             config.source);

    kube::SteadyClock clock;
    const auto registry = std::make_shared<kube::metrics::Registry>();
    kube::RestClientMetrics clientMetrics(*registry);
    kube::LeaderElectionMetrics leaderMetrics(*registry);
    const auto client = kube::makeClient(config, &clientMetrics);
    // Renewals on a client of their own: behind the controllers' rate limiter and
    // connections, a busy handover's node writes would delay them past the renew
    // deadline. A renewal every retry period needs no client-side limit.
    kube::RestConfig electionConfig = config;
    electionConfig.qps = 0;
    electionConfig.burst = 0;
    const auto electionClient = kube::makeClient(electionConfig, &clientMetrics);
    kube::HealthChecks healthz("healthz", log);
    kube::HealthChecks readyz("readyz", log);

    kube::ManagerOptions options;
    options.clock = &clock;
    options.gracefulShutdownTimeout = flags.gracefulShutdownTimeout;
    options.election = makeElection(flags, config, *electionClient, clock, leaderMetrics);
    kube::Manager manager(std::move(options), log.withValues({{"component", "manager"}}));

    healthz.add("ping", [] { return std::nullopt; });
    readyz.add("ping", [] { return std::nullopt; });
    landlord::controllers::SetupOptions controllerOptions;
    controllerOptions.clock = &clock;
    controllerOptions.registry = registry.get();
    controllerOptions.catalog = catalog;
    controllerOptions.maxConcurrentReconciles = flags.maxConcurrentReconciles;
    controllerOptions.nodeOwnershipWorkers = flags.nodeOwnershipWorkers;
    controllerOptions.exemptions.namespaces = flags.ownershipExemptNamespaces;
    controllerOptions.exemptions.daemonSets = flags.ownershipExemptDaemonSets;
    const auto controllers =
        landlord::controllers::setupControllers(manager, *client, controllerOptions, log);
    readyz.add("informers-synced", [&controllers]() -> std::optional<std::string> {
      if (controllers->synced()) {
        return std::nullopt;
      }
      return "informer caches have not synced yet";
    });
    if (flags.leaderElect) {
      readyz.add("leader-election", [&manager]() -> std::optional<std::string> {
        if (manager.electionRunning()) {
          return std::nullopt;
        }
        return "leader election is not running";
      });
    }
    manager.add(std::make_unique<kube::HeapTrimmer>(
        kube::HeapTrimmerOptions{}, log.withValues({{"component", "heap-trimmer"}})));
    serveMetrics(manager, flags.metricsBindAddress, registry, log);
    serveHealthProbes(manager, flags.healthProbeBindAddress, healthz, readyz, log);
    serveWebhooks(manager, flags, *controllers, *registry, log);

    const kube::ManagerExit exit = manager.run(signals.token());
    if (exit != kube::ManagerExit::stopped) {
      log.error("exiting: {}", kube::toString(exit));
      log.flush();
      // Threads may still run (leadership lost, shutdown timed out): leave
      // without joining them.
      std::_Exit(1);
    }
    log.info("shut down cleanly");
    return 0;
  } catch (const std::exception& e) {
    log.error("cannot run: {}", e.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  limitMallocArenas();  // before any thread starts
  kube::OperatorFlags flags;
  try {
    flags = kube::parseFlags(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const kube::FlagError& e) {
    std::cerr << kProgram << ": " << e.what() << "\nRun '" << kProgram << " --help' for usage.\n";
    return kExitUsage;
  }
  if (flags.help) {
    std::cout << kube::flagUsage(kProgram);
    return 0;
  }
  return runOperator(flags);
}
