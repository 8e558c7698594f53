#pragma once

// The exclusivity claim on a pool: GPUPool status.lease, acquired, handed on and
// dropped only by an update of the pool's status carrying the resourceVersion read,
// so of two writers racing exactly one succeeds and the other gets ConflictError.

#include <optional>
#include <string>

#include "landlord/controllers/api.h"
#include "landlord/operator/client/client.h"

namespace landlord::controllers {

struct Claim {
  std::string lease;
  std::string uid;
  std::string tenant;
  std::string purpose;
  std::int64_t generation = 0;
};

// The claim in a pool's status, when there is one.
std::optional<Claim> claimOf(const json& pool);

// Whether the claim names this lease object (name and uid).
bool holds(const json& pool, const json& lease);

// Writes `lease` as the pool's claim (leaseGeneration + 1), optionally starting or
// clearing the handover record. `pool` must be as read; returns the updated pool.
// Throws ConflictError when the pool changed since it was read.
json writeClaim(kube::Client& client, json pool, const json& lease, const std::string& now);

// Drops the claim (and handover record). Same concurrency as writeClaim.
json dropClaim(kube::Client& client, json pool);

// Sets (or with a null record clears) status.handover; no-op when already equal.
json writeHandoverRecord(kube::Client& client, json pool, const json& record);

}  // namespace landlord::controllers
