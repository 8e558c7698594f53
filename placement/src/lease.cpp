#include "landlord/placement/lease.h"

#include <array>
#include <utility>

#include "text.h"

namespace landlord::placement {

namespace {

using detail::quoted;

constexpr std::array<std::pair<LeasePhase, std::string_view>, 7> kPhaseNames{{
    {LeasePhase::Pending, "Pending"},
    {LeasePhase::Scheduled, "Scheduled"},
    {LeasePhase::Provisioning, "Provisioning"},
    {LeasePhase::Active, "Active"},
    {LeasePhase::Releasing, "Releasing"},
    {LeasePhase::Released, "Released"},
    {LeasePhase::Failed, "Failed"},
}};

constexpr std::array<std::pair<LeasePurpose, std::string_view>, 3> kPurposeNames{{
    {LeasePurpose::Inference, "inference"},
    {LeasePurpose::Training, "training"},
    {LeasePurpose::Any, "any"},
}};

std::string describeHolder(const LeaseFacts& lease) {
  return "lease " + quoted(lease.name) + " (tenant " + quoted(lease.tenant) + ", " +
         std::string(toString(lease.phase)) + ")";
}

}  // namespace

std::string_view toString(LeasePhase phase) {
  for (const auto& [value, name] : kPhaseNames) {
    if (value == phase) {
      return name;
    }
  }
  return "Unknown";
}

std::string_view toString(LeasePurpose purpose) {
  for (const auto& [value, name] : kPurposeNames) {
    if (value == purpose) {
      return name;
    }
  }
  return "unknown";
}

std::optional<LeasePhase> parseLeasePhase(std::string_view text) {
  for (const auto& [value, name] : kPhaseNames) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<LeasePurpose> parseLeasePurpose(std::string_view text) {
  for (const auto& [value, name] : kPurposeNames) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

ExclusivityVerdict checkExclusivity(const LeaseFacts& candidate,
                                    std::span<const LeaseFacts> leasesOnPool) {
  const LeaseFacts* superseded = nullptr;
  const LeaseFacts* otherHolder = nullptr;
  for (const LeaseFacts& lease : leasesOnPool) {
    if (lease.name == candidate.name || lease.pool != candidate.pool) {
      continue;
    }
    if (candidate.supersedes && lease.name == *candidate.supersedes) {
      superseded = &lease;
    } else if (isLive(lease.phase) && otherHolder == nullptr) {
      otherHolder = &lease;
    }
  }
  const std::string pool = "pool " + quoted(candidate.pool);
  if (candidate.supersedes && superseded == nullptr) {
    return {.outcome = ExclusivityOutcome::Reject,
            .superseded = {},
            .reason = "spec.supersedes names lease " + quoted(*candidate.supersedes) +
                      ", which does not hold " + pool};
  }
  if (otherHolder != nullptr) {
    const bool competingSuccessor =
        superseded != nullptr && otherHolder->supersedes == superseded->name;
    std::string reason = pool + " is held by " + describeHolder(*otherHolder);
    reason += competingSuccessor
                  ? ", which already supersedes " + quoted(superseded->name)
                  : "; set spec.supersedes: " + otherHolder->name + " to take it over";
    return {.outcome = ExclusivityOutcome::Reject, .superseded = {}, .reason = reason};
  }
  if (superseded != nullptr && isLive(superseded->phase)) {
    return {.outcome = ExclusivityOutcome::Handover, .superseded = superseded->name, .reason = {}};
  }
  return {.outcome = ExclusivityOutcome::Admit, .superseded = {}, .reason = {}};
}

LeaseRevenue leaseRevenue(const PoolMetrics& pool, std::optional<Money> negotiatedRatePerGpuHour) {
  LeaseRevenue revenue;
  revenue.hourly =
      negotiatedRatePerGpuHour ? negotiatedRatePerGpuHour->times(pool.gpus) : pool.listHourly;
  revenue.annual = revenue.hourly.times(kHoursPerYear);
  revenue.ratePerGpuHour = pool.gpus == 0 ? "0" : formatAverage(revenue.hourly, pool.gpus, 4);
  return revenue;
}

}  // namespace landlord::placement
