#pragma once

// Leader election on a coordination.k8s.io/v1 Lease, as client-go's
// leaderelection: acquire when the lease is free or expired, renew every
// retryPeriod with optimistic concurrency, give up leadership at once when no
// renewal succeeded within renewDeadline, release on clean shutdown.
//
// Expiry is judged by the local steady clock from when this process last saw
// the lease change, never by comparing the remote renewTime to local wall
// time, so clock skew between replicas cannot make two leaders.

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/client/client.h"

namespace landlord::kube {

// Told whenever this process starts or stops leading one election: feeds
// leader_election_master_status{name}.
class LeadershipObserver {
 public:
  virtual ~LeadershipObserver() = default;
  virtual void leadershipChanged(std::string_view electionName, bool leading) = 0;
};

struct LeaderElectionConfig {
  std::string leaseNamespace;
  std::string leaseName;
  std::string identity;  // unique per candidate, e.g. "<hostname>_<uuid>"
  std::chrono::milliseconds leaseDuration{15'000};
  std::chrono::milliseconds renewDeadline{10'000};
  std::chrono::milliseconds retryPeriod{2'000};
  // Clear the holder when run() stops while leading, so a successor acquires
  // immediately instead of waiting for the lease to expire.
  bool releaseOnCancel = true;
};

struct LeaderCallbacks {
  // This process became leader: start acting. Called on the elector's thread.
  std::function<void()> onStartedLeading;
  // This process is no longer leader (lost or released): stop acting now.
  std::function<void()> onStoppedLeading;
  // Another (or this) identity holds the lease.
  std::function<void(const std::string& identity)> onNewLeader;
};

class LeaderElector {
 public:
  // Throws std::invalid_argument for an inconsistent config (renewDeadline
  // must be below leaseDuration, retryPeriod below renewDeadline).
  LeaderElector(Client& client, LeaderElectionConfig config, LeaderCallbacks callbacks,
                const Clock& clock, LeadershipObserver* observer = nullptr);
  ~LeaderElector();
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  // Campaigns, leads, and returns when stop is requested (releasing the lease
  // if leading) or when leadership is lost.
  void run(std::stop_token stop);

  // One attempt to acquire or renew, then the renew-deadline check. Returns
  // whether this process leads afterwards. run() calls it every retryPeriod;
  // tests call it directly with a FakeClock.
  bool tryAcquireOrRenew();

  // Clears the holder if this process holds the lease; stops leading.
  bool release();

  bool isLeader() const;
  std::string observedLeader() const;
  const LeaderElectionConfig& config() const;

 private:
  class State;
  std::unique_ptr<State> state_;
};

}  // namespace landlord::kube
