#pragma once

// Command-line flags under controller-runtime's names and defaults. Accepts
// --name=value, --name value, and the single-dash forms Go's flag package
// allows; booleans take an optional =true/=false.

#include <spdlog/common.h>

#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "landlord/operator/base/logging.h"

namespace landlord::kube {

struct OperatorFlags {
  std::string kubeconfig;  // empty: $KUBECONFIG, ~/.kube/config, then in-cluster
  std::string context;
  bool leaderElect = false;
  std::string leaderElectionId = "landlord.landlord.dev";
  std::string leaderElectionNamespace;  // empty: the pod's namespace
  std::chrono::milliseconds leaderElectLeaseDuration{15'000};
  std::chrono::milliseconds leaderElectRenewDeadline{10'000};
  std::chrono::milliseconds leaderElectRetryPeriod{2'000};
  std::string metricsBindAddress = ":8080";      // "0" disables
  std::string healthProbeBindAddress = ":8081";  // "0" disables
  std::string webhookBindAddress = ":9443";      // "0" disables
  // kubebuilder's names: a directory, and the file names of the pair in it.
  std::string webhookCertPath = "/tmp/k8s-webhook-server/serving-certs";
  std::string webhookCertName = "tls.crt";
  std::string webhookCertKey = "tls.key";
  std::string catalogPath;  // empty: placement's built-in catalog
  double kubeApiQps = 0;    // 0: no client-side limit (API Priority and Fairness decides)
  int kubeApiBurst = 30;
  int maxConcurrentReconciles = 1;
  int nodeOwnershipWorkers = 8;
  // Pods node ownership never evicts nor counts as a tenant's: namespaces, and
  // DaemonSets as namespace/name.
  std::set<std::string> ownershipExemptNamespaces = {"kube-system", "kube-node-lease"};
  std::set<std::string> ownershipExemptDaemonSets;
  std::chrono::milliseconds gracefulShutdownTimeout{30'000};
  LogFormat logFormat = LogFormat::text;
  spdlog::level::level_enum logLevel = spdlog::level::info;
  bool help = false;
};

// A flag the process cannot run with; what() names the flag.
class FlagError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `args` excludes the program name. Throws FlagError.
OperatorFlags parseFlags(const std::vector<std::string>& args);

// The --help text: every flag with its default.
std::string flagUsage(const std::string& program);

}  // namespace landlord::kube
