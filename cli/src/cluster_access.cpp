#include <thread>

#include "landlord/cli/cluster.h"
#include "landlord/operator/client/kubeconfig.h"
#include "landlord/operator/client/rest_client.h"

namespace landlord::cli {

namespace {

ClusterConnection connectLikeKubectl(const ClusterTarget& target) {
  const kube::RestConfig config = kube::loadConfig(kube::KubeconfigOptions{
      .explicitPath = target.kubeconfig, .context = target.context, .env = kube::processEnv()});
  const std::string name = config.contextName.empty() ? config.server : config.contextName;
  return ClusterConnection{.client = kube::makeClient(config), .name = name};
}

}  // namespace

ClusterAccess realClusterAccess() {
  return ClusterAccess{
      .connect = connectLikeKubectl,
      .pacer = Pacer{
          .now = [] { return std::chrono::steady_clock::now(); },
          .sleep = [](std::chrono::milliseconds pause) { std::this_thread::sleep_for(pause); }}};
}

}  // namespace landlord::cli
