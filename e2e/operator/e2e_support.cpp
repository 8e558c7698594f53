#include "e2e_support.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "landlord/operator/client/rest_client.h"

namespace landlord::kube::e2e {

const std::string& kubeconfigPath() {
  static const std::string path = [] {
    const char* value = std::getenv("LANDLORD_E2E_KUBECONFIG");
    if (value == nullptr || *value == '\0') {
      std::fprintf(stderr,
                   "LANDLORD_E2E_KUBECONFIG is not set: point it at the admin kubeconfig that "
                   "e2e/cluster/up prints (and LANDLORD_CLUSTER_DIR at its instance)\n");
      std::abort();
    }
    return std::string(value);
  }();
  return path;
}

std::string clusterDir() {
  const char* value = std::getenv("LANDLORD_CLUSTER_DIR");
  if (value != nullptr && *value != '\0') {
    return value;
  }
  // The kubeconfig lives in the instance directory.
  std::string path = kubeconfigPath();
  return path.substr(0, path.rfind('/'));
}

std::string clusterEnv(const std::string& key) {
  std::ifstream in(clusterDir() + "/env");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + "=", 0) == 0) {
      return line.substr(key.size() + 1);
    }
  }
  throw std::runtime_error(key + " not found in " + clusterDir() + "/env");
}

RestConfig adminConfig() {
  KubeconfigOptions options;
  options.explicitPath = kubeconfigPath();
  RestConfig config = loadKubeconfig(options);
  config.qps = 0;
  return config;
}

std::unique_ptr<Client> adminClient() {
  return makeClient(adminConfig());
}

std::string run(const std::string& command) {
  std::array<char, 4096> buffer{};
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("cannot run: " + command);
  }
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
    output += buffer.data();
  }
  int status = pclose(pipe);
  if (status != 0) {
    throw std::runtime_error("command failed (" + std::to_string(status) + "): " + command + "\n" +
                             output);
  }
  return output;
}

void restartComponent(const std::string& component) {
  run("LANDLORD_CLUSTER_DIR='" + clusterDir() + "' " LANDLORD_CLUSTER_SCRIPTS "/restart " +
      component + " 2>&1");
}

int64_t compactEtcd() {
  std::string endpoint = clusterEnv("ETCD_ENDPOINT");
  std::string status =
      run("ETCDCTL_API=3 etcdctl --endpoints=" + endpoint + " endpoint status --write-out=json");
  auto json = nlohmann::json::parse(status);
  int64_t revision = json.at(0).at("Status").at("header").at("revision").get<int64_t>();
  run("ETCDCTL_API=3 etcdctl --endpoints=" + endpoint + " compaction --physical " +
      std::to_string(revision) + " 2>&1");
  return revision;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(interval);
  }
  return done();
}

TestNamespace::TestNamespace(Client& client, const std::string& prefix) : client_(client) {
  std::random_device random;
  std::ostringstream name;
  name << prefix << "-" << std::hex << (random() & 0xffffff);
  name_ = name.str();
  client_.create(resources::namespaces(), "",
                 {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name_}}}});
}

TestNamespace::~TestNamespace() {
  try {
    client_.remove(resources::namespaces(), "", name_);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "cleanup: deleting namespace %s failed: %s\n", name_.c_str(),
                 error.what());
  }
}

}  // namespace landlord::kube::e2e
