#pragma once

// Feeds client-go's leader_election_master_status from the elector's
// leadership changes, so that existing dashboards and alerts work unchanged.

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string_view>

#include "landlord/operator/leaderelection/leader_election.h"

namespace landlord::kube {

// Feeds leader_election_master_status{name}: 1 while leading, 0 otherwise.
class LeaderElectionMetrics final : public LeadershipObserver {
 public:
  explicit LeaderElectionMetrics(prometheus::Registry& registry);
  void leadershipChanged(std::string_view electionName, bool leading) override;

 private:
  prometheus::Family<prometheus::Gauge>& masterStatus_;
};

}  // namespace landlord::kube
