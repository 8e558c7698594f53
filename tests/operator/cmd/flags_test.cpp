#include "flags.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;

std::string errorOf(const std::vector<std::string>& args) {
  try {
    parseFlags(args);
  } catch (const FlagError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(FlagsTest, DefaultsFollowControllerRuntime) {
  const OperatorFlags flags = parseFlags({});
  EXPECT_FALSE(flags.leaderElect);
  EXPECT_EQ(flags.metricsBindAddress, ":8080");
  EXPECT_EQ(flags.healthProbeBindAddress, ":8081");
  EXPECT_EQ(flags.webhookBindAddress, ":9443");
  EXPECT_EQ(flags.webhookCertPath, "/tmp/k8s-webhook-server/serving-certs");
  EXPECT_EQ(flags.webhookCertName, "tls.crt");
  EXPECT_EQ(flags.webhookCertKey, "tls.key");
  EXPECT_EQ(flags.leaderElectLeaseDuration, 15s);
  EXPECT_EQ(flags.leaderElectRenewDeadline, 10s);
  EXPECT_EQ(flags.leaderElectRetryPeriod, 2s);
  EXPECT_EQ(flags.gracefulShutdownTimeout, 30s);
  EXPECT_EQ(flags.logFormat, LogFormat::text);
  EXPECT_EQ(flags.logLevel, spdlog::level::info);
}

// As controller-runtime since v0.21: no client-side limit unless asked for; the
// API server's Priority and Fairness (the chart's FlowSchema) limits landlord.
TEST(FlagsTest, TheClientSideRateLimitIsOffUnlessSet) {
  EXPECT_EQ(parseFlags({}).kubeApiQps, 0.0);
  EXPECT_EQ(parseFlags({"--kube-api-qps=0"}).kubeApiQps, 0.0);
  EXPECT_EQ(parseFlags({"--kube-api-qps=20"}).kubeApiQps, 20.0);
  EXPECT_EQ(errorOf({"--kube-api-qps=-1"}),
            "invalid value \"-1\" for flag --kube-api-qps: must not be negative");
}

TEST(FlagsTest, ParsesEqualsSpaceSingleDashAndBooleans) {
  const OperatorFlags flags = parseFlags(
      {"--leader-elect", "--metrics-bind-address=127.0.0.1:0", "--health-probe-bind-address", "0",
       "-kube-api-qps=50.5", "--kube-api-burst", "100", "--max-concurrent-reconciles=4",
       "--log-format=json", "--leader-elect-lease-duration=1m30s",
       "--graceful-shutdown-timeout=500ms", "-v=1", "--context", "kind-landlord"});
  EXPECT_TRUE(flags.leaderElect);
  EXPECT_EQ(flags.metricsBindAddress, "127.0.0.1:0");
  EXPECT_EQ(flags.healthProbeBindAddress, "0");
  EXPECT_DOUBLE_EQ(flags.kubeApiQps, 50.5);
  EXPECT_EQ(flags.kubeApiBurst, 100);
  EXPECT_EQ(flags.maxConcurrentReconciles, 4);
  EXPECT_EQ(flags.logFormat, LogFormat::json);
  EXPECT_EQ(flags.leaderElectLeaseDuration, 90s);
  EXPECT_EQ(flags.gracefulShutdownTimeout, 500ms);
  EXPECT_EQ(flags.logLevel, spdlog::level::debug);
  EXPECT_EQ(flags.context, "kind-landlord");
  EXPECT_FALSE(parseFlags({"--leader-elect=false"}).leaderElect);
  EXPECT_TRUE(parseFlags({"-h"}).help);
}

TEST(FlagsTest, WebhookFlagsUseKubebuilderNames) {
  const OperatorFlags flags =
      parseFlags({"--webhook-bind-address=127.0.0.1:0", "--webhook-cert-path", "/certs",
                  "--webhook-cert-name=serving.crt", "-webhook-cert-key=serving.key"});
  EXPECT_EQ(flags.webhookBindAddress, "127.0.0.1:0");
  EXPECT_EQ(flags.webhookCertPath, "/certs");
  EXPECT_EQ(flags.webhookCertName, "serving.crt");
  EXPECT_EQ(flags.webhookCertKey, "serving.key");
  EXPECT_EQ(parseFlags({"--webhook-bind-address=0"}).webhookBindAddress, "0");
  EXPECT_EQ(errorOf({"--webhook-cert-path="}),
            "invalid value \"\" for flag --webhook-cert-path: must not be empty");
}

TEST(FlagsTest, CatalogPathDefaultsToTheBuiltInCatalog) {
  EXPECT_EQ(parseFlags({}).catalogPath, "");
  EXPECT_EQ(parseFlags({"--catalog=/etc/landlord/catalog/catalog.yaml"}).catalogPath,
            "/etc/landlord/catalog/catalog.yaml");
}

TEST(FlagsTest, ErrorsNameTheFlag) {
  EXPECT_EQ(errorOf({"--metrics-addr=:8080"}), "unknown flag --metrics-addr");
  EXPECT_EQ(errorOf({"--kube-api-burst=lots"}),
            "invalid value \"lots\" for flag --kube-api-burst: not an integer");
  EXPECT_NE(errorOf({"--log-format=xml"}).find("--log-format"), std::string::npos);
  EXPECT_NE(errorOf({"--log-level=loud"}).find("--log-level"), std::string::npos);
  EXPECT_NE(errorOf({"--leader-elect=maybe"}).find("--leader-elect"), std::string::npos);
  EXPECT_NE(errorOf({"--leader-elect-retry-period=2x"}).find("--leader-elect-retry-period"),
            std::string::npos);
  EXPECT_NE(errorOf({"--max-concurrent-reconciles=0"}).find("--max-concurrent-reconciles"),
            std::string::npos);
  EXPECT_EQ(errorOf({"--kubeconfig"}), "flag --kubeconfig needs a value (string)");
  EXPECT_NE(errorOf({"stray"}).find("stray"), std::string::npos);
  EXPECT_NE(errorOf({"--leader-elect-renew-deadline=20s"}).find("--leader-elect-renew-deadline"),
            std::string::npos);
}

TEST(FlagsTest, OwnershipExemptionsAreListsOfNamespacesAndDaemonSets) {
  const OperatorFlags defaults = parseFlags({});
  EXPECT_EQ(defaults.ownershipExemptNamespaces,
            (std::set<std::string>{"kube-system", "kube-node-lease"}));
  EXPECT_TRUE(defaults.ownershipExemptDaemonSets.empty());
  EXPECT_EQ(defaults.nodeOwnershipWorkers, 8);
  const OperatorFlags flags =
      parseFlags({"--ownership-exempt-namespaces=kube-system, landlord-system,,",
                  "--ownership-exempt-daemonsets=gpu-operator/nvidia-device-plugin",
                  "--node-ownership-workers=16"});
  EXPECT_EQ(flags.ownershipExemptNamespaces,
            (std::set<std::string>{"kube-system", "landlord-system"}));
  EXPECT_EQ(flags.ownershipExemptDaemonSets,
            (std::set<std::string>{"gpu-operator/nvidia-device-plugin"}));
  EXPECT_EQ(flags.nodeOwnershipWorkers, 16);
  EXPECT_EQ(errorOf({"--ownership-exempt-namespaces=Kube_System"}),
            "invalid value \"Kube_System\" for flag --ownership-exempt-namespaces: \"Kube_System\" "
            "is not a namespace name");
  EXPECT_NE(errorOf({"--ownership-exempt-daemonsets=nvidia-device-plugin"})
                .find("\"nvidia-device-plugin\" is not namespace/name of a DaemonSet"),
            std::string::npos);
  EXPECT_NE(errorOf({"--ownership-exempt-daemonsets=a/b/c"}).find("--ownership-exempt-daemonsets"),
            std::string::npos);
  EXPECT_NE(errorOf({"--node-ownership-workers=0"}).find("must be at least 1"), std::string::npos);
}

TEST(FlagsTest, GoDurations) {
  EXPECT_EQ(parseFlags({"--graceful-shutdown-timeout=0"}).gracefulShutdownTimeout, 0ms);
  EXPECT_EQ(parseFlags({"--graceful-shutdown-timeout=1h2m3s"}).gracefulShutdownTimeout, 3723s);
  EXPECT_EQ(parseFlags({"--graceful-shutdown-timeout=1.5m"}).gracefulShutdownTimeout, 90s);
  EXPECT_EQ(parseFlags({"--graceful-shutdown-timeout=1.5s"}).gracefulShutdownTimeout, 1500ms);
  EXPECT_EQ(errorOf({"--graceful-shutdown-timeout=10"}),
            "invalid value \"10\" for flag --graceful-shutdown-timeout: missing unit (use ns, us, "
            "ms, s, m or h)");
  EXPECT_THROW(parseFlags({"--graceful-shutdown-timeout=s"}), FlagError);
}

TEST(FlagsTest, UsageListsEveryFlagWithDefaults) {
  const std::string usage = flagUsage("landlord-operator");
  for (const char* name : {"--kubeconfig",
                           "--context",
                           "--leader-elect ",
                           "--leader-election-id",
                           "--leader-election-namespace",
                           "--leader-elect-lease-duration",
                           "--leader-elect-renew-deadline",
                           "--leader-elect-retry-period",
                           "--metrics-bind-address",
                           "--health-probe-bind-address",
                           "--kube-api-qps",
                           "--kube-api-burst",
                           "--max-concurrent-reconciles",
                           "--graceful-shutdown-timeout",
                           "--log-format",
                           "--log-level",
                           "--v ",
                           "--help",
                           "--catalog",
                           "--node-ownership-workers",
                           "--ownership-exempt-namespaces",
                           "--ownership-exempt-daemonsets"}) {
    EXPECT_NE(usage.find(name), std::string::npos) << name;
  }
  for (const char* name : {"--webhook-bind-address", "--webhook-cert-path", "--webhook-cert-name",
                           "--webhook-cert-key"}) {
    EXPECT_NE(usage.find(name), std::string::npos) << name;
  }
  EXPECT_NE(usage.find("(default \":8080\")"), std::string::npos);
  EXPECT_NE(usage.find("(default \"15s\")"), std::string::npos);
  EXPECT_NE(usage.find("(default \":9443\")"), std::string::npos);
  EXPECT_NE(usage.find("(default \"/tmp/k8s-webhook-server/serving-certs\")"), std::string::npos);
}

}  // namespace
}  // namespace landlord::kube
