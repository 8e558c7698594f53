#pragma once

// Pieces of a PoolLease's status: per-step handover progress and revenue.

#include <string>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/placement/handover.h"

namespace landlord::controllers {

// Records in status.progress the steps of `plan` that belong to `lease`: a step's
// total is the most nodes (or pods) it ever had left, completed is total minus what
// is left now; a recorded step no longer planned is complete.
void recordProgress(api::PoolLeaseStatus& status, const placement::HandoverPlan& plan,
                    const std::string& lease, const std::string& now);

// nodes, gpus, ratePerGPUHour, hourlyRate and annualisedRevenue from the pool's
// status and the lease's negotiated rate; returns the hourly rate in USD.
double recordRevenue(api::PoolLeaseStatus& status, const api::PoolLease& lease,
                     const api::GpuPool& pool);

}  // namespace landlord::controllers
