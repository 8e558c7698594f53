#include "landlord/operator/leaderelection/leader_election_metrics.h"

#include <string>

namespace landlord::kube {

LeaderElectionMetrics::LeaderElectionMetrics(metrics::Registry& registry)
    : masterStatus_(registry.gauge("leader_election_master_status",
                                   "Gauge of if the reporting system is master of the relevant "
                                   "lease, 0 indicates backup, 1 indicates master. 'name' is the "
                                   "string used to identify the lease. Please make sure to group "
                                   "by name.",
                                   {"name"})) {}

void LeaderElectionMetrics::leadershipChanged(std::string_view electionName, bool leading) {
  masterStatus_.withLabels({std::string(electionName)}).set(leading ? 1.0 : 0.0);
}

}  // namespace landlord::kube
