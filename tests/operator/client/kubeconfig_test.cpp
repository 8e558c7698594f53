#include "landlord/operator/client/kubeconfig.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "landlord/operator/base/errors.h"

namespace landlord::kube {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "landlord-kubeconfig-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path write(const std::string& name, const std::string& text) const {
    fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

EnvLookup envOf(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) {
      return std::nullopt;
    }
    return it->second;
  };
}

// base64("CA PEM") etc.
constexpr const char* kTwoContexts = R"(apiVersion: v1
kind: Config
current-context: admin
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:6443/
    certificate-authority-data: Q0EgUEVN
- name: other
  cluster:
    server: https://10.0.0.1:443
    certificate-authority: pki/ca.crt
    insecure-skip-tls-verify: false
users:
- name: admin
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
- name: robot
  user:
    tokenFile: tokens/robot
contexts:
- name: admin
  context:
    cluster: local
    user: admin
- name: robot
  context:
    cluster: other
    user: robot
    namespace: tenants
)";

TEST(KubeConfig, ParsesCurrentContextWithInlineData) {
  RestConfig config = parseKubeconfig(kTwoContexts, "/nowhere");
  EXPECT_EQ(config.server, "https://127.0.0.1:6443");
  EXPECT_EQ(config.caPem, "CA PEM");
  EXPECT_EQ(config.clientCertPem, "CERT");
  EXPECT_EQ(config.clientKeyPem, "KEY");
  EXPECT_FALSE(config.insecureSkipTlsVerify);
  EXPECT_EQ(config.contextName, "admin");
  EXPECT_EQ(config.defaultNamespace, "default");
  EXPECT_EQ(config.userAgent, "landlord/0.1.0");
}

TEST(KubeConfig, ExplicitContextResolvesFilesRelativeToTheKubeconfig) {
  TempDir dir;
  dir.write("pki/ca.crt", "FILE CA");
  fs::path file = dir.write("config", kTwoContexts);
  KubeconfigOptions options;
  options.explicitPath = file.string();
  options.context = "robot";
  options.env = envOf({});
  RestConfig config = loadKubeconfig(options);
  EXPECT_EQ(config.server, "https://10.0.0.1:443");
  EXPECT_EQ(config.caPem, "FILE CA");
  EXPECT_EQ(config.caFile, (dir.path() / "pki/ca.crt").string());
  EXPECT_EQ(config.tokenFile, (dir.path() / "tokens/robot").string());
  EXPECT_EQ(config.defaultNamespace, "tenants");
}

TEST(KubeConfig, KubeconfigListMergesWithFirstFileWinning) {
  TempDir dir;
  fs::path first = dir.write("first", R"(current-context: a
clusters:
- name: c
  cluster: {server: "https://first:6443"}
users:
- name: u
  user: {token: first-token}
contexts:
- name: a
  context: {cluster: c, user: u}
)");
  fs::path second = dir.write("second", R"(current-context: b
clusters:
- name: c
  cluster: {server: "https://second:6443"}
- name: d
  cluster: {server: "https://d:6443", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: second-token}
contexts:
- name: b
  context: {cluster: d, user: u}
)");
  KubeconfigOptions options;
  options.env = envOf({{"KUBECONFIG", first.string() + ":" + (dir.path() / "missing").string() +
                                          ":" + second.string()}});
  RestConfig config = loadKubeconfig(options);
  EXPECT_EQ(config.contextName, "a");
  EXPECT_EQ(config.server, "https://first:6443");
  EXPECT_EQ(config.token, "first-token");
  EXPECT_EQ(config.source, first.string() + ":" + second.string());

  options.context = "b";  // defined only in the second file
  RestConfig other = loadKubeconfig(options);
  EXPECT_EQ(other.server, "https://d:6443");
  EXPECT_TRUE(other.insecureSkipTlsVerify);
  EXPECT_EQ(other.token, "first-token");  // user u from the first file wins
}

TEST(KubeConfig, UnknownContextNamesTheFileAndContext) {
  TempDir dir;
  fs::path file = dir.write("config", kTwoContexts);
  KubeconfigOptions options;
  options.explicitPath = file.string();
  options.context = "nope";
  options.env = envOf({});
  try {
    loadKubeconfig(options);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("context 'nope' not found"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find(file.string()), std::string::npos);
  }
}

TEST(KubeConfig, MissingCertificateFileIsAClearError) {
  EXPECT_THROW(parseKubeconfig(kTwoContexts, "/nowhere", "robot"), ConfigError);
}

TEST(KubeConfig, ClientCertificateWithoutKeyIsRejected) {
  EXPECT_THROW(parseKubeconfig(R"(current-context: x
clusters: [{name: c, cluster: {server: "https://h:1"}}]
users: [{name: u, user: {client-certificate-data: Q0VSVA==}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
)",
                               "/"),
               ConfigError);
}

TEST(KubeConfig, ExecCredentialsAreRefusedRatherThanIgnored) {
  EXPECT_THROW(parseKubeconfig(R"(current-context: x
clusters: [{name: c, cluster: {server: "https://h:1"}}]
users: [{name: u, user: {exec: {command: aws}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
)",
                               "/"),
               ConfigError);
}

TEST(KubeConfig, InClusterReadsServiceAccountFiles) {
  TempDir dir;
  dir.write("ca.crt", "SA CA");
  dir.write("token", "sa-token\n");
  dir.write("namespace", "landlord-system");
  InClusterOptions options;
  options.serviceAccountDir = dir.path().string();
  options.env =
      envOf({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  RestConfig config = inClusterConfig(options);
  EXPECT_EQ(config.server, "https://10.96.0.1:443");
  EXPECT_EQ(config.caPem, "SA CA");
  EXPECT_EQ(config.token, "sa-token");
  EXPECT_EQ(config.tokenFile, (dir.path() / "token").string());
  EXPECT_EQ(config.defaultNamespace, "landlord-system");
}

TEST(KubeConfig, InClusterBracketsIpv6Hosts) {
  TempDir dir;
  dir.write("ca.crt", "SA CA");
  dir.write("token", "t");
  InClusterOptions options;
  options.serviceAccountDir = dir.path().string();
  options.env = envOf({{"KUBERNETES_SERVICE_HOST", "fd00::1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  EXPECT_EQ(inClusterConfig(options).server, "https://[fd00::1]:443");
}

TEST(KubeConfig, OutsideAClusterInClusterConfigFails) {
  InClusterOptions options;
  options.env = envOf({});
  EXPECT_THROW(inClusterConfig(options), ConfigError);
}

TEST(KubeConfig, LoadConfigPrefersKubeconfigEnvOverInCluster) {
  TempDir dir;
  fs::path file = dir.write("config", kTwoContexts);
  KubeconfigOptions kubeconfig;
  kubeconfig.env = envOf({{"KUBECONFIG", file.string()}, {"KUBERNETES_SERVICE_HOST", "10.0.0.1"}});
  InClusterOptions inCluster;
  inCluster.env = kubeconfig.env;
  EXPECT_EQ(loadConfig(kubeconfig, inCluster).contextName, "admin");
}

}  // namespace
}  // namespace landlord::kube
