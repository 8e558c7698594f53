#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "landlord/placement/money.h"
#include "landlord/placement/pool_metrics.h"

namespace landlord::placement {

enum class LeasePhase { Pending, Scheduled, Provisioning, Active, Releasing, Released, Failed };
enum class LeasePurpose { Inference, Training, Any };

std::string_view toString(LeasePhase phase);
std::string_view toString(LeasePurpose purpose);
std::optional<LeasePhase> parseLeasePhase(std::string_view text);
std::optional<LeasePurpose> parseLeasePurpose(std::string_view text);

// Live leases hold their pool: at most one per pool at any time.
constexpr bool isLive(LeasePhase phase) {
  return phase == LeasePhase::Provisioning || phase == LeasePhase::Active ||
         phase == LeasePhase::Releasing;
}

struct LeaseFacts {
  std::string name;
  std::string pool;
  std::string tenant;
  LeasePhase phase = LeasePhase::Pending;
  std::optional<std::string> supersedes;  // the lease this one replaces (a handover)
};

enum class ExclusivityOutcome {
  Admit,     // the pool is free: provision now
  Handover,  // release `superseded` first, then provision
  Reject,    // another lease holds the pool; `reason` says which and what to do
};

struct ExclusivityVerdict {
  ExclusivityOutcome outcome = ExclusivityOutcome::Reject;
  std::string superseded;  // set for Handover
  std::string reason;      // set for Reject
};

// Exclusivity: may `candidate` start on its pool, given every other lease that names
// the same pool (leases on other pools are ignored)? `supersedes` is the only way to
// replace a live lease, and only one lease may supersede it.
ExclusivityVerdict checkExclusivity(const LeaseFacts& candidate,
                                    std::span<const LeaseFacts> leasesOnPool);

// What a lease earns: a negotiated ratePerGPUHour overrides the list price.
struct LeaseRevenue {
  Money hourly;
  Money annual;                // hourly × 8,760
  std::string ratePerGpuHour;  // hourly ÷ GPUs, 4 places
};

LeaseRevenue leaseRevenue(const PoolMetrics& pool, std::optional<Money> negotiatedRatePerGpuHour);

}  // namespace landlord::placement
