// One leader-election candidate for the e2e tests: campaigns for a Lease and
// prints "<steady-ns> START|STOP <identity>" lines (CLOCK_MONOTONIC, shared by
// all processes on the machine) so a test can check that leadership never
// overlaps. Exits on SIGTERM after releasing the lease.
//
// usage: landlord-lease-candidate KUBECONFIG NAMESPACE LEASE IDENTITY

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <thread>

#include "landlord/operator/client/rest_client.h"
#include "landlord/operator/leaderelection/leader_election.h"

namespace {

int signalPipe[2] = {-1, -1};  // written by the signal handler, read by main

void onSignal(int) {
  char byte = 1;
  [[maybe_unused]] auto written = write(signalPipe[1], &byte, 1);
}

void say(const char* what, const std::string& identity) {
  auto now = std::chrono::steady_clock::now().time_since_epoch();
  std::printf(
      "%lld %s %s\n",
      static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()),
      what, identity.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace landlord::kube;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s KUBECONFIG NAMESPACE LEASE IDENTITY\n", argv[0]);
    return 2;
  }
  if (pipe(signalPipe) != 0) {
    return 1;
  }
  std::signal(SIGTERM, onSignal);
  std::signal(SIGINT, onSignal);

  KubeconfigOptions options;
  options.explicitPath = argv[1];
  auto client = makeClient(loadKubeconfig(options));
  LeaderElectionConfig config;
  config.leaseNamespace = argv[2];
  config.leaseName = argv[3];
  config.identity = argv[4];
  std::string identity = config.identity;
  LeaderCallbacks callbacks;
  callbacks.onStartedLeading = [identity] { say("START", identity); };
  callbacks.onStoppedLeading = [identity] { say("STOP", identity); };
  SteadyClock clock;
  LeaderElector elector(*client, config, callbacks, clock);

  std::jthread campaign([&](std::stop_token stop) { elector.run(stop); });
  char byte = 0;
  while (read(signalPipe[0], &byte, 1) < 0 && errno == EINTR) {
  }
  campaign.request_stop();
  campaign.join();
  say("EXIT", identity);
  return 0;
}
