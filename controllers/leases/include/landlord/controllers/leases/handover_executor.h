#pragma once

// Observes a pool's nodes and pods for placement's handover planner, and carries
// out one planned step (node steps through nodes/node_writer.h, evictions here).
// Each call re-observes; nothing is remembered.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/controllers/nodes/node_writer.h"
#include "landlord/controllers/nodes/pool_membership.h"
#include "landlord/controllers/projections/pod.h"
#include "landlord/operator/cache/informer.h"
#include "landlord/placement/handover.h"

namespace landlord::controllers {

// One side of a handover: the lease, its tenant and the tenant's namespaces (whose
// pods must leave the pool).
struct HandoverParty {
  std::string lease;
  std::string tenant;
  std::vector<std::string> namespaces;
};

placement::HandoverInput observeHandover(const std::string& pool,
                                         const std::vector<NodePtr>& members,
                                         const kube::Lister<PodInfo>& pods,
                                         const std::optional<HandoverParty>& outgoing,
                                         const std::optional<HandoverParty>& incoming);

enum class DrainPolicy { Fail, Force };

struct DrainSettings {
  std::int64_t timeoutSeconds = 600;
  DrainPolicy policy = DrainPolicy::Fail;
  std::optional<std::int64_t> podGracePeriodSeconds;
};
DrainSettings drainSettingsOf(const api::PoolLease& lease);

struct EvictOutcome {
  std::size_t requested = 0;    // evictions accepted by the API server
  std::size_t terminating = 0;  // already on their way out
  std::size_t blocked = 0;      // refused by a PodDisruptionBudget (429)
  std::size_t forced = 0;       // deleted because the drain timed out under policy Force
};

// Evicts the step's pods through the Eviction API; once `deadlinePassed` under policy
// Force, deletes them instead.
EvictOutcome applyEvictStep(kube::Client& client, const kube::Lister<PodInfo>& pods,
                            const placement::HandoverStep& step, const DrainSettings& settings,
                            bool deadlinePassed);

}  // namespace landlord::controllers
