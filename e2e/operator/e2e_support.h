#pragma once

// Shared by the operator e2e tests: the cluster under test, a client for it,
// throwaway namespaces, shell helpers.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "landlord/operator/client/client.h"
#include "landlord/operator/client/kubeconfig.h"

namespace landlord::kube::e2e {

// The admin kubeconfig from LANDLORD_E2E_KUBECONFIG; aborts the test run
// loudly when unset.
const std::string& kubeconfigPath();
// $LANDLORD_CLUSTER_DIR (the instance directory).
std::string clusterDir();
// A value from $LANDLORD_CLUSTER_DIR/env, e.g. ETCD_ENDPOINT.
std::string clusterEnv(const std::string& key);

// Admin config with client-side throttling off (tests create thousands).
RestConfig adminConfig();
std::unique_ptr<Client> adminClient();

// Runs a shell command; returns its stdout; throws on a non-zero exit.
std::string run(const std::string& command);

// Restarts one control-plane component through e2e/cluster/restart.
void restartComponent(const std::string& component);

// Compacts etcd at its current revision; returns that revision.
int64_t compactEtcd();

// Polls until done() or the timeout; true if done.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(100));

// Creates a uniquely named namespace, deleted (in the background) on scope exit.
class TestNamespace {
 public:
  TestNamespace(Client& client, const std::string& prefix);
  ~TestNamespace();
  TestNamespace(const TestNamespace&) = delete;
  TestNamespace& operator=(const TestNamespace&) = delete;
  const std::string& name() const { return name_; }

 private:
  Client& client_;
  std::string name_;
};

}  // namespace landlord::kube::e2e
