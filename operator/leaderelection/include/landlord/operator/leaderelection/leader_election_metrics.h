#pragma once

// Feeds client-go's leader_election_master_status from the elector's
// leadership changes, so that existing dashboards and alerts work unchanged.

#include <string_view>

#include "landlord/operator/leaderelection/leader_election.h"
#include "landlord/operator/metrics/metrics.h"

namespace landlord::kube {

// Feeds leader_election_master_status{name}: 1 while leading, 0 otherwise.
class LeaderElectionMetrics final : public LeadershipObserver {
 public:
  explicit LeaderElectionMetrics(metrics::Registry& registry);
  void leadershipChanged(std::string_view electionName, bool leading) override;

 private:
  metrics::GaugeFamily& masterStatus_;
};

}  // namespace landlord::kube
