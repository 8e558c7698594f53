#pragma once

// The exclusivity claim on a pool: GPUPool status.lease, acquired, handed on and
// dropped only by an update of the pool's status carrying the resourceVersion read,
// so of two writers racing exactly one succeeds and the other gets ConflictError.

#include <cstdint>
#include <optional>
#include <string>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"
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
std::optional<Claim> claimOf(const api::GpuPool& pool);

// Whether the claim names this lease object (name and uid).
bool holds(const api::GpuPool& pool, const api::PoolLease& lease);

// Writes `lease` as the pool's claim (leaseGeneration + 1), keeping the phase
// HandingOver while a handover record is there. `pool` must be as read; returns
// the updated pool. Throws ConflictError when the pool changed since it was read.
api::GpuPool writeClaim(kube::Client& client, const api::GpuPool& pool, const api::PoolLease& lease,
                        const std::string& now);

// Drops the claim (and handover record). Same concurrency as writeClaim.
api::GpuPool dropClaim(kube::Client& client, const api::GpuPool& pool);

// Sets (or with nullopt clears) status.handover; no write when already so.
api::GpuPool writeHandoverRecord(kube::Client& client, const api::GpuPool& pool,
                                 const std::optional<api::HandoverRecord>& record);

}  // namespace landlord::controllers
