#include "landlord/operator/leaderelection/leader_election_metrics.h"

#include <string>

namespace landlord::kube {

LeaderElectionMetrics::LeaderElectionMetrics(prometheus::Registry& registry)
    : masterStatus_(prometheus::BuildGauge()
                        .Name("leader_election_master_status")
                        .Help("Gauge of if the reporting system is master of the relevant lease, 0 "
                              "indicates backup, 1 indicates master. 'name' is the string used to "
                              "identify the lease. Please make sure to group by name.")
                        .Register(registry)) {}

void LeaderElectionMetrics::leadershipChanged(std::string_view electionName, bool leading) {
  masterStatus_.Add({{"name", std::string(electionName)}}).Set(leading ? 1.0 : 0.0);
}

}  // namespace landlord::kube
