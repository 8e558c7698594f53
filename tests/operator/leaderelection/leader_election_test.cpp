#include "landlord/operator/leaderelection/leader_election.h"

#include <gtest/gtest.h>

#include <atomic>

#include "landlord/testing/fake_client.h"

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

struct Transitions : LeadershipObserver {
  std::vector<std::string> log;
  void leadershipChanged(std::string_view name, bool leading) override {
    log.push_back(std::string(name) + (leading ? " leading" : " not leading"));
  }
};

class KubeLeaderElection : public ::testing::Test {
 protected:
  std::unique_ptr<LeaderElector> candidate(const std::string& identity,
                                           std::vector<std::string>* events = nullptr) {
    LeaderElectionConfig config;
    config.leaseNamespace = "landlord-system";
    config.leaseName = "landlord-operator";
    config.identity = identity;
    LeaderCallbacks callbacks;
    if (events != nullptr) {
      callbacks.onStartedLeading = [events, identity] { events->push_back(identity + " started"); };
      callbacks.onStoppedLeading = [events, identity] { events->push_back(identity + " stopped"); };
    }
    return std::make_unique<LeaderElector>(fake, config, callbacks, clock, &observer);
  }

  json lease() { return fake.get(resources::leases(), "landlord-system", "landlord-operator"); }

  FakeClient fake;
  FakeClock clock;
  Transitions observer;
};

TEST_F(KubeLeaderElection, FirstCandidateCreatesTheLeaseAndLeads) {
  std::vector<std::string> events;
  auto a = candidate("a", &events);
  EXPECT_TRUE(a->tryAcquireOrRenew());
  EXPECT_TRUE(a->isLeader());
  EXPECT_EQ(lease()["spec"]["holderIdentity"], "a");
  EXPECT_EQ(lease()["spec"]["leaseDurationSeconds"], 15);
  EXPECT_EQ(events, (std::vector<std::string>{"a started"}));
  EXPECT_EQ(observer.log, (std::vector<std::string>{"landlord-operator leading"}));
}

TEST_F(KubeLeaderElection, SecondCandidateWaitsForExpiryMeasuredFromItsOwnObservation) {
  auto a = candidate("a");
  auto b = candidate("b");
  ASSERT_TRUE(a->tryAcquireOrRenew());
  EXPECT_FALSE(b->tryAcquireOrRenew());
  EXPECT_EQ(b->observedLeader(), "a");
  clock.step(14s);
  EXPECT_FALSE(b->tryAcquireOrRenew());  // still within a's 15 s
  clock.step(1s);
  EXPECT_TRUE(b->tryAcquireOrRenew());  // a stopped renewing: expired
  EXPECT_EQ(lease()["spec"]["holderIdentity"], "b");
  EXPECT_EQ(lease()["spec"]["leaseTransitions"], 1);
}

TEST_F(KubeLeaderElection, ExpiryFollowsTheHoldersLeaseDurationNotTheLocalOne) {
  auto a = candidate("a");
  auto b = candidate("b");
  ASSERT_TRUE(a->tryAcquireOrRenew());
  // The holder runs with --leader-elect-lease-duration=4s; b's own flag says 15 s.
  json held = lease();
  held["spec"]["leaseDurationSeconds"] = 4;
  fake.update(resources::leases(), held);
  EXPECT_FALSE(b->tryAcquireOrRenew());
  clock.step(3s);
  EXPECT_FALSE(b->tryAcquireOrRenew());
  clock.step(1s);
  EXPECT_TRUE(b->tryAcquireOrRenew());
  EXPECT_EQ(lease()["spec"]["holderIdentity"], "b");
  EXPECT_EQ(lease()["spec"]["leaseDurationSeconds"], 15);  // b writes its own
}

TEST_F(KubeLeaderElection, RenewalsKeepTheLeaseFromExpiring) {
  auto a = candidate("a");
  auto b = candidate("b");
  ASSERT_TRUE(a->tryAcquireOrRenew());
  for (int i = 0; i < 20; ++i) {
    clock.step(2s);
    ASSERT_TRUE(a->tryAcquireOrRenew());
    ASSERT_FALSE(b->tryAcquireOrRenew());
  }
  EXPECT_EQ(lease()["spec"]["holderIdentity"], "a");
}

TEST_F(KubeLeaderElection, LosesLeadershipWhenRenewalsFailPastTheDeadline) {
  std::vector<std::string> events;
  auto a = candidate("a", &events);
  ASSERT_TRUE(a->tryAcquireOrRenew());
  std::atomic<bool> apiDown{true};
  fake.setRequestHook(
      [&](const std::string&, const ResourceRef&, std::string_view, std::string_view) {
        if (apiDown)
          throw TransportError(RequestContext{"https://fake", "GET", "/"}, "connection refused");
      });
  clock.step(2s);
  EXPECT_TRUE(a->tryAcquireOrRenew());  // failed, but within the 10 s renew deadline
  clock.step(7s);
  EXPECT_TRUE(a->tryAcquireOrRenew());
  clock.step(1s);
  EXPECT_FALSE(a->tryAcquireOrRenew());  // 10 s since the last successful renewal
  EXPECT_EQ(events, (std::vector<std::string>{"a started", "a stopped"}));
  apiDown = false;
  EXPECT_FALSE(a->tryAcquireOrRenew());  // a lost elector never leads again
  EXPECT_EQ(observer.log, (std::vector<std::string>{"landlord-operator leading",
                                                    "landlord-operator not leading"}));
}

TEST_F(KubeLeaderElection, ALeaderThatSeesAnotherHolderStopsAtOnce) {
  std::vector<std::string> events;
  auto a = candidate("a", &events);
  ASSERT_TRUE(a->tryAcquireOrRenew());
  json stolen = lease();
  stolen["spec"]["holderIdentity"] = "intruder";
  fake.update(resources::leases(), stolen);
  clock.step(2s);
  EXPECT_FALSE(a->tryAcquireOrRenew());
  EXPECT_EQ(events, (std::vector<std::string>{"a started", "a stopped"}));
}

TEST_F(KubeLeaderElection, ConcurrentAcquireLosesOnConflict) {
  auto a = candidate("a");
  auto b = candidate("b");
  ASSERT_TRUE(a->tryAcquireOrRenew());
  EXPECT_FALSE(b->tryAcquireOrRenew());
  clock.step(16s);
  // b reads the expired lease; a renews in between; b's write must conflict.
  bool renewed = false;
  fake.setRequestHook(
      [&](const std::string& verb, const ResourceRef&, std::string_view, std::string_view) {
        if (verb == "update" && !renewed) {
          renewed = true;
          json current = fake.get(resources::leases(), "landlord-system", "landlord-operator");
          current["spec"]["renewTime"] = "2030-01-01T00:00:00.000000Z";
          fake.update(resources::leases(), current);
        }
      });
  EXPECT_FALSE(b->tryAcquireOrRenew());
  EXPECT_FALSE(b->isLeader());
  EXPECT_EQ(lease()["spec"]["holderIdentity"], "a");
}

TEST_F(KubeLeaderElection, ReleaseClearsTheHolderSoASuccessorTakesOverImmediately) {
  std::vector<std::string> events;
  auto a = candidate("a", &events);
  auto b = candidate("b");
  ASSERT_TRUE(a->tryAcquireOrRenew());
  EXPECT_FALSE(b->tryAcquireOrRenew());
  EXPECT_TRUE(a->release());
  EXPECT_FALSE(a->isLeader());
  EXPECT_TRUE(lease()["spec"]["holderIdentity"].is_null());
  EXPECT_TRUE(b->tryAcquireOrRenew());  // no waiting for expiry
  EXPECT_EQ(events, (std::vector<std::string>{"a started", "a stopped"}));
}

TEST_F(KubeLeaderElection, RejectsInconsistentTimings) {
  LeaderElectionConfig config;
  config.leaseNamespace = "n";
  config.leaseName = "l";
  config.identity = "i";
  config.renewDeadline = 20s;
  EXPECT_THROW(LeaderElector(fake, config, {}, clock), std::invalid_argument);
}

}  // namespace
}  // namespace landlord::kube
