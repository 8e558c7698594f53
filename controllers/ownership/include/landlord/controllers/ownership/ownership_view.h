#pragma once

// Who each node should belong to now, read from the caches: the pool it belongs to
// (PoolIndex), the lease the pool's status claims, that lease's phase and tenant,
// and the tenants' namespaces (whose pods are whose). Built once per reconcile, so
// a walk over a 30,000-node pool reads the tenants once.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/controllers/dependencies.h"
#include "landlord/controllers/ownership/ownership_ledger.h"
#include "landlord/placement/ownership.h"

namespace landlord::controllers {

// What a pool's nodes should look like, from the lease its status claims.
struct PoolOwner {
  placement::OwnerMode mode = placement::OwnerMode::Free;
  std::string tenant;
  bool evict = true;
  // The lease whose claim decides Own or Hold (its drain settings apply); none for Free.
  std::optional<api::PoolLease> lease;
};

// One node judged against its owner.
struct NodeJudgement {
  placement::DesiredOwner desired;
  placement::OwnershipDecision decision;
  placement::NodeMarks observed;
  PoolOwner owner;
};

// What a walk over a pool's members found.
struct OwnershipTally {
  std::int64_t members = 0;
  std::int64_t converged = 0;
  std::int64_t held = 0;     // carrying the hold, or converged on it
  std::int64_t blocked = 0;  // pods to leave, an eviction refused (a PodDisruptionBudget)
  std::int64_t podsLeaving = 0;
  std::vector<std::string> reasons;  // a few, "node n7: ..."
  bool settled() const { return converged == members; }
};

// What a claiming lease's phase makes of its pool's nodes: Free once Released,
// held while Releasing, held without evictions once Failed (its drain ran out of
// time under policy Fail), else (Pending before its status is written,
// Provisioning, Active) owned.
struct PhaseOwnership {
  placement::OwnerMode mode = placement::OwnerMode::Own;
  bool evict = true;
  bool operator==(const PhaseOwnership&) const = default;
};
PhaseOwnership ownershipOfPhase(const std::string& phase);

// Identifies an owner for the ledger: mode, tenant, eviction and the lease's uid.
std::uint64_t ownerKeyOf(const PoolOwner& owner);

// What the ledger keeps of a judgement (`blocked`: its evictions were refused).
NodeStanding standingOf(const NodeJudgement& judgement, bool blocked);

class OwnershipView {
 public:
  explicit OwnershipView(const Dependencies& deps);

  // Free for a pool being deleted; Own or Hold for a claim a live lease holds.
  PoolOwner ownerOf(const api::GpuPool& pool) const;
  // The node against its pool's owner (or nobody, when in no pool).
  NodeJudgement judge(const kube::Cached<NodeInfo>& node) const;
  // A member against `owner`, as `pool`'s member: what a lease waits for.
  NodeJudgement judgeAs(const kube::Cached<NodeInfo>& node, const std::string& pool,
                        const PoolOwner& owner) const;
  // How far `pool`'s members are from `owner`, from the ownership ledger: O(1)
  // while they are on their way. When the ledger says every member got there, or
  // that an eviction was refused (whose reasons it does not keep), the answer is a
  // walk(), so nothing is decided on the ledger's word alone.
  OwnershipTally tally(const std::string& pool, const PoolOwner& owner) const;
  // Every member of `pool` judged against `owner`, now.
  OwnershipTally walk(const std::string& pool, const PoolOwner& owner) const;

  std::vector<placement::NodePod> podsOn(const std::string& node) const;

 private:
  std::optional<std::string> gpuModelOf(const NodeInfo& node) const;

  const Dependencies& deps_;
  std::map<std::string, std::string, std::less<>> tenantOfNamespace_;
};

}  // namespace landlord::controllers
