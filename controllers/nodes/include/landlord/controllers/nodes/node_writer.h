#pragma once

// Turns what a node must change (labels, taints, cordon) into one merge patch and
// sends it. A patch that touches taints carries the cached resourceVersion, so a
// taint list read from a stale cache is never written back (409, retried later).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "landlord/controllers/api.h"
#include "landlord/operator/client/client.h"
#include "landlord/placement/handover.h"

namespace landlord::controllers {

// The merge patch for `change` applied to `node` (its cached state), or nullopt when
// the node already looks like that.
std::optional<json> nodePatch(const kube::Cached<NodeInfo>& node,
                              const placement::NodeChange& change);

// Sends the patch when one is needed; returns whether a request was made.
bool applyNodeChange(kube::Client& client, const kube::Cached<NodeInfo>& node,
                     const placement::NodeChange& change);

}  // namespace landlord::controllers
