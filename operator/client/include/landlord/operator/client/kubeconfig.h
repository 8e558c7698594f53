#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace landlord::kube {

// How to reach and authenticate to one API server: the result of loading a
// kubeconfig or the in-cluster environment.
struct RestConfig {
  std::string server;  // "https://127.0.0.1:6443"
  // TLS. PEM data; *File fields record where it came from (for messages).
  std::string caPem;
  std::string caFile;
  std::string clientCertPem;
  std::string clientKeyPem;
  std::string clientCertFile;
  bool insecureSkipTlsVerify = false;  // only when the kubeconfig says so
  std::string tlsServerName;           // overrides the name verified
  // Bearer token. With tokenFile set the file is re-read when it changes, so
  // rotated projected service-account tokens are picked up.
  std::string token;
  std::string tokenFile;
  std::string username;  // basic auth, rarely used
  std::string password;

  std::string userAgent;  // default "landlord/<version>"
  // Client-side rate limit (token bucket). qps <= 0 disables it.
  // controller-runtime's defaults.
  double qps = 20.0;
  int burst = 30;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // per request

  std::string contextName;       // kubeconfig context used, or "in-cluster"
  std::string source;            // file(s) or "in-cluster", for messages
  std::string defaultNamespace;  // context namespace or service-account namespace
};

// "landlord/0.1.0".
std::string defaultUserAgent();

// Reads environment variables; injected so tests do not touch the process env.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup processEnv();

struct KubeconfigOptions {
  // --kubeconfig: this one file only, no merging. Empty: $KUBECONFIG (a
  // ':'-separated list, merged: the first file to define a name or
  // current-context wins), else $HOME/.kube/config.
  std::string explicitPath;
  std::string context;  // --context; empty: current-context
  EnvLookup env = processEnv();
};

// Loads a kubeconfig the way kubectl does. Relative paths inside a file are
// relative to that file. Throws ConfigError naming the file and the entry.
RestConfig loadKubeconfig(const KubeconfigOptions& options = {});

// Parses one kubeconfig document (dir resolves relative paths).
RestConfig parseKubeconfig(std::string_view yaml, std::string_view dir,
                           std::string_view context = {});

struct InClusterOptions {
  std::string serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";
  EnvLookup env = processEnv();
};

// KUBERNETES_SERVICE_HOST/PORT, <dir>/ca.crt, <dir>/token (re-read on
// rotation), <dir>/namespace. Throws ConfigError when not in a cluster.
RestConfig inClusterConfig(const InClusterOptions& options = {});

// controller-runtime's order: --kubeconfig, $KUBECONFIG, in-cluster,
// $HOME/.kube/config.
RestConfig loadConfig(const KubeconfigOptions& kubeconfig = {},
                      const InClusterOptions& inCluster = {});

}  // namespace landlord::kube
