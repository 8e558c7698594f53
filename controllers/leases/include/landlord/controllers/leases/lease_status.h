#pragma once

// Pieces of a PoolLease's status: per-step handover progress and revenue.

#include <string>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"

namespace landlord::controllers {

// A step of a handover as a lease counts it: Hold, Evict (releasing), Transfer
// (provisioning); total nodes (or pods) and how many are left.
struct StepCount {
  std::string name;
  std::int64_t total = 0;
  std::int64_t left = 0;
  std::string summary;
};

// Records the steps in status.progress: a step's total is the most it ever had,
// completed is total minus what is left now; a step with nothing left is complete.
// The current step is the first with something left.
void recordProgress(api::PoolLeaseStatus& status, const std::vector<StepCount>& steps,
                    const std::string& lease, const std::string& now);

// nodes, gpus, ratePerGPUHour, hourlyRate and annualisedRevenue from the pool's
// status and the lease's negotiated rate; returns the hourly rate in USD.
double recordRevenue(api::PoolLeaseStatus& status, const api::PoolLease& lease,
                     const api::GpuPool& pool);

}  // namespace landlord::controllers
