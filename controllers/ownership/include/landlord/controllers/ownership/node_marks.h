#pragma once

// The marks landlord owns on a Node, read from its cached projection, and the one
// merge patch that writes new marks: labels set or removed, the taint list with
// landlord's taints replaced (every other taint kept in place), all conditional on
// the resourceVersion the node was read at. A stale read costs a 409 and a retry,
// never a lost write of someone else's: an administrator's taint or cordon made in
// between survives.

#include <nlohmann/json.hpp>
#include <optional>

#include "landlord/controllers/projections/node.h"
#include "landlord/operator/cache/store.h"
#include "landlord/operator/client/client.h"
#include "landlord/placement/ownership.h"

namespace landlord::controllers {

placement::NodeMarks marksOf(const NodeInfo& node);

// The merge patch taking `node` (as cached) to `target`; nullopt when it is there.
std::optional<nlohmann::json> ownershipPatch(const kube::Cached<NodeInfo>& node,
                                             const placement::NodeMarks& target);

// Sends it when one is needed; returns whether it sent one. The written node is
// not decoded: the informer's watch brings it. Throws ConflictError when the node
// changed since it was read, and the client's other errors.
bool writeMarks(kube::Client& client, const kube::Cached<NodeInfo>& node,
                const placement::NodeMarks& target);

}  // namespace landlord::controllers
