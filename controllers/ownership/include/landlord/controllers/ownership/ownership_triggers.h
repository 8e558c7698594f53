#pragma once

// Which pool and lease changes can change who a pool's nodes belong to. Status
// writes (a lease's progress counts, a pool's composition) change no owner, and
// waking every node of a 30,000-node pool on each of them was most of a
// handover's reconciles.

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"

namespace landlord::controllers {

// The pool's selector (its generation), its deletion mark or its claim changed.
bool changesNodeOwners(const api::GpuPool& before, const api::GpuPool& after);

// The lease's spec (tenant, pool, drain), its deletion mark, its phase or its
// drain deadline changed: what the node ownership reconcile reads of a lease.
bool changesNodeOwners(const api::PoolLease& before, const api::PoolLease& after);

}  // namespace landlord::controllers
