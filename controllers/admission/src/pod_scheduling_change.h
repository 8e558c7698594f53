#pragma once

// What a Pod UPDATE changes of the fields the pod rules judge (private to the
// admission webhooks), so that an UPDATE is judged on what it adds, not on what the
// pod already was.

#include <nlohmann/json.hpp>

namespace landlord::controllers::admission {

// `after` (the updated pod) cut down to its metadata and the scheduling fields the
// UPDATE changed: the tolerations it adds, and spec.nodeName, the landlord.dev/pool
// nodeSelector and the required node affinity terms where they differ from
// `before`. Kubernetes lets an UPDATE add tolerations at any time and set or narrow
// nodeSelector and node affinity while spec.schedulingGates is non-empty (so a
// gated pod can be pointed at another tenant's pool and then ungated); a field is
// judged whenever it changed, whatever the gates, which covers both. Both pods are
// JSON objects.
nlohmann::json changedScheduling(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace landlord::controllers::admission
