#include "landlord/operator/manager/lease_election.h"

namespace landlord::kube {

namespace {

class LeaseElection final : public Election {
 public:
  LeaseElection(Client& client, LeaderElectionConfig config, const Clock& clock,
                LeadershipObserver* observer)
      : client_(client), config_(std::move(config)), clock_(clock), observer_(observer) {}

  void run(std::stop_token stop, std::function<void()> onStartedLeading,
           std::function<void()> onStoppedLeading) override {
    LeaderCallbacks callbacks;
    callbacks.onStartedLeading = std::move(onStartedLeading);
    callbacks.onStoppedLeading = std::move(onStoppedLeading);
    LeaderElector elector(client_, config_, std::move(callbacks), clock_, observer_);
    elector.run(std::move(stop));
  }

 private:
  Client& client_;
  const LeaderElectionConfig config_;
  const Clock& clock_;
  LeadershipObserver* const observer_;
};

}  // namespace

std::unique_ptr<Election> makeLeaseElection(Client& client, LeaderElectionConfig config,
                                            const Clock& clock, LeadershipObserver* observer) {
  return std::make_unique<LeaseElection>(client, std::move(config), clock, observer);
}

}  // namespace landlord::kube
