#pragma once

// The manager's Election backed by part A's LeaderElector on a
// coordination.k8s.io/v1 Lease.

#include <memory>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/client/client.h"
#include "landlord/operator/leaderelection/leader_election.h"
#include "landlord/operator/manager/manager.h"

namespace landlord::kube {

// `client`, `clock` and `observer` are not owned and must outlive the result.
std::unique_ptr<Election> makeLeaseElection(Client& client, LeaderElectionConfig config,
                                            const Clock& clock, LeadershipObserver* observer);

}  // namespace landlord::kube
