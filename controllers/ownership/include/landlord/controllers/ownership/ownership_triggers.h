#pragma once

// Which pool and lease changes must wake whom. Status writes (a lease's progress
// counts, a pool's composition) change no owner, and waking every node of a
// 30,000-node pool on each of them was most of a handover's reconciles; progress
// counts are read by nobody but the user, and waking the pool, the leases, the
// tenant and the placements on each of them kept a loop of status writes going
// for as long as nodes were on their way.

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"

namespace landlord::controllers {

// The pool's selector (its generation), its deletion mark or its claim changed.
bool changesNodeOwners(const api::GpuPool& before, const api::GpuPool& after);

// The lease's spec (tenant, pool, drain), its deletion mark, what its phase makes
// of the nodes (ownershipOfPhase: Provisioning to Active changes nothing) or its
// drain deadline changed: what the node ownership reconcile reads of a lease.
bool changesNodeOwners(const api::PoolLease& before, const api::PoolLease& after);

// Only the progress of the pool's nodes changed (status.ownership's counts and
// reasons, the messages of conditions whose status and reason stayed): nothing
// that a lease, a tenant or a placement reads of a pool.
bool onlyProgressChanged(const api::GpuPool& before, const api::GpuPool& after);

// Only the lease's progress changed (step counts and messages, pods still to
// leave, the messages of conditions whose status and reason stayed): nothing that
// a pool, another lease, a tenant or a placement reads of a lease.
bool onlyProgressChanged(const api::PoolLease& before, const api::PoolLease& after);

}  // namespace landlord::controllers
