// The pool claim (GPUPool status.lease): read, written, handed on and dropped optimistically.
#include "landlord/controllers/leases/pool_claim.h"

#include "landlord/api/v1alpha1/client.h"

namespace landlord::controllers {

std::optional<Claim> claimOf(const api::GpuPool& pool) {
  if (!pool.status.lease) {
    return std::nullopt;
  }
  const api::PoolClaim& lease = *pool.status.lease;
  return Claim{lease.name, lease.uid, lease.tenant, lease.purpose, lease.claimGeneration};
}

bool holds(const api::GpuPool& pool, const api::PoolLease& lease) {
  std::optional<Claim> claim = claimOf(pool);
  return claim && claim->lease == lease.metadata.name && claim->uid == lease.metadata.uid;
}

api::GpuPool writeClaim(kube::Client& client, const api::GpuPool& pool, const api::PoolLease& lease,
                        const std::string& now) {
  api::GpuPoolStatus status = pool.status;
  const std::int64_t generation = status.leaseGeneration.value_or(0) + 1;
  status.leaseGeneration = generation;
  status.lease = api::PoolClaim{.name = lease.metadata.name,
                                .uid = lease.metadata.uid,
                                .tenant = lease.spec.tenant,
                                .purpose = lease.spec.purpose,
                                .claimGeneration = generation,
                                .claimedAt = now};
  status.phase = status.handover ? "HandingOver" : "Leased";
  return api::writeStatus(client, pool, status);
}

api::GpuPool dropClaim(kube::Client& client, const api::GpuPool& pool) {
  api::GpuPoolStatus status = pool.status;
  status.lease.reset();
  status.handover.reset();
  status.phase = "Available";
  return api::writeStatus(client, pool, status);
}

api::GpuPool writeHandoverRecord(kube::Client& client, const api::GpuPool& pool,
                                 const std::optional<api::HandoverRecord>& record) {
  if (pool.status.handover == record) {
    return pool;
  }
  api::GpuPoolStatus status = pool.status;
  if (!record) {
    status.handover.reset();
    if (status.lease) {
      status.phase = "Leased";
    }
  } else {
    status.handover = record;
    status.phase = "HandingOver";
  }
  return api::writeStatus(client, pool, status);
}

}  // namespace landlord::controllers
