#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "landlord/operator/client/client.h"

namespace landlord::cli {

// Which cluster to talk to, as kubectl chooses it: --kubeconfig (that file only),
// else $KUBECONFIG, else in-cluster, else ~/.kube/config; --context or the current one.
struct ClusterTarget {
  std::string kubeconfig;
  std::string context;
};

struct ClusterConnection {
  std::shared_ptr<kube::Client> client;
  std::string name;  // the kubeconfig context, or "in-cluster": names the fleet in reports
};

// Time for commands that wait on the cluster; tests substitute a clock that
// advances only when they sleep.
struct Pacer {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
};

// The calendar's time (lease terms are wall-clock times); tests fix it.
using WallClock = std::function<std::chrono::system_clock::time_point()>;

// What cluster commands need from the outside world.
struct ClusterAccess {
  // Throws kube::ConfigError (no usable kubeconfig) naming the file and entry.
  std::function<ClusterConnection(const ClusterTarget&)> connect;
  Pacer pacer;
  WallClock wallClock = [] { return std::chrono::system_clock::now(); };
};

// The real API server through the operator's REST client, and the real clock.
ClusterAccess realClusterAccess();

}  // namespace landlord::cli
