#pragma once

// Turns what a node must change (labels, taints, cordon) into one merge patch and
// sends it, and sends a whole step of such changes from parallel workers. A patch
// that touches taints carries the cached resourceVersion, so a taint list read
// from a stale cache is never written back (409, retried later).

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "landlord/controllers/nodes/pool_membership.h"
#include "landlord/controllers/projections/node.h"
#include "landlord/operator/client/client.h"
#include "landlord/placement/handover.h"

namespace landlord::controllers {

// The merge patch for `change` applied to `node` (its cached state), or nullopt when
// the node already looks like that.
std::optional<nlohmann::json> nodePatch(const kube::Cached<NodeInfo>& node,
                                        const placement::NodeChange& change);

// Sends the patch when one is needed; returns whether a request was made.
bool applyNodeChange(kube::Client& client, const kube::Cached<NodeInfo>& node,
                     const placement::NodeChange& change);

// The node changes of a step (labels, cordon, taints) on `members`, sent by
// `parallelism` workers. Nodes whose cached state was stale (409) are left for the
// next pass.
struct NodeStepOutcome {
  std::size_t patched = 0;
  std::size_t retryLater = 0;
};
NodeStepOutcome applyNodeStep(kube::Client& client, const std::vector<NodePtr>& members,
                              const placement::HandoverStep& step, int parallelism = 1);

}  // namespace landlord::controllers
