#pragma once

// PoolLease (cluster-scoped): one tenant holds one whole pool, exclusively;
// spec.supersedes makes it a handover. crds/landlord.dev_poolleases.yaml is the
// contract; field names follow it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/meta.h"

namespace landlord::api::inline v1alpha1 {

// spec.drain: how the lease's nodes are drained when it is released. The API
// server defaults timeoutSeconds to 600 and policy to Fail.
struct DrainSpec {
  std::optional<std::int64_t> timeoutSeconds;
  std::string policy;  // Fail, Force
  std::optional<std::int64_t> podGracePeriodSeconds;
  bool operator==(const DrainSpec&) const = default;
};

// spec.term.returnTo: who the pool goes back to when a term ends with Return.
struct TermReturn {
  std::string tenant;
  std::string purpose;         // inference, training, any; the API server defaults it
  std::string ratePerGPUHour;  // empty: the pool's list rate
  bool operator==(const TermReturn&) const = default;
};

// spec.term: the contract's dates. Until start the lease is Scheduled (a lease it
// supersedes keeps the pool); at start the handover begins by itself; at end the
// pool is released (atEnd Release) or handed to returnTo (atEnd Return).
struct LeaseTerm {
  std::string start;  // RFC 3339; empty: from creation
  std::string end;    // RFC 3339; empty: open-ended
  std::string atEnd;  // Release, Return; the API server defaults it to Release
  std::optional<TermReturn> returnTo;
  bool operator==(const LeaseTerm&) const = default;
};

struct PoolLeaseSpec {
  std::string pool;
  std::string tenant;
  std::string purpose;         // inference, training, any
  std::string ratePerGPUHour;  // negotiated USD per GPU-hour; empty: the pool's list rate
  std::string supersedes;      // the lease this one replaces on the pool; empty: none
  DrainSpec drain;
  std::optional<LeaseTerm> term;
  bool operator==(const PoolLeaseSpec&) const = default;
};

// status.progress.steps[]: one handover step on the pool's nodes (or pods).
struct StepProgress {
  std::string name;  // Cordon, Evict, Unlabel, Label, Taint, Uncordon
  std::int64_t completed = 0;
  std::int64_t total = 0;
  std::string startedAt;
  std::string completedAt;
  std::string message;
  bool operator==(const StepProgress&) const = default;
};

struct Progress {
  std::string step;  // the step in flight, or Done
  std::string summary;
  std::vector<StepProgress> steps;
  bool operator==(const Progress&) const = default;
};

// status.drain: the drain of a release in progress.
struct DrainStatus {
  std::string startedAt;
  std::string deadline;
  std::optional<std::int64_t> podsRemaining;
  std::optional<std::vector<std::string>> blockingPodDisruptionBudgets;
  std::optional<std::int64_t> forcedPods;
  bool operator==(const DrainStatus&) const = default;
};

// status.term: the term's money and how it ended, for a lease with spec.term.
struct TermStatus {
  std::string contractValue;   // rate × GPUs × hours of the term, USD; empty: open-ended
  std::string accruedRevenue;  // earned so far, USD
  std::string remainingValue;  // contractValue - accruedRevenue, USD; empty: open-ended
  std::string observedEnd;     // the spec.term.end last acted on, to tell a renewal
  std::string returnLease;     // the lease created to return the pool (atEnd Return)
  std::string endedAt;         // when the term's end was acted on
  bool operator==(const TermStatus&) const = default;
};

// Optional members are absent until the controller writes them.
struct PoolLeaseStatus {
  std::optional<std::int64_t> observedGeneration;
  std::string phase;  // Pending, Scheduled, Provisioning, Active, Releasing, Released, Failed
  std::optional<std::int64_t> claimGeneration;
  std::optional<std::int64_t> nodes;
  std::optional<std::int64_t> gpus;
  std::string ratePerGPUHour;
  std::string hourlyRate;
  std::string annualisedRevenue;
  std::string supersededBy;
  std::optional<Progress> progress;
  std::optional<DrainStatus> drain;
  std::string handoverStartedAt;
  std::string claimedAt;
  std::string activatedAt;
  std::string releaseStartedAt;
  std::string releasedAt;
  std::optional<TermStatus> term;
  std::vector<Condition> conditions;  // Ready, PoolClaimed, Provisioned, Drained
  bool operator==(const PoolLeaseStatus&) const = default;
};

struct PoolLease {
  static constexpr std::string_view kKind = "PoolLease";
  ObjectMeta metadata;
  PoolLeaseSpec spec;
  PoolLeaseStatus status;
  FieldErrors invalid;  // what did not decode (see meta.h); never encoded
  bool operator==(const PoolLease&) const = default;
};

template <>
PoolLease decode<PoolLease>(const json& object);
json encode(const PoolLease& lease);

}  // namespace landlord::api::inline v1alpha1
