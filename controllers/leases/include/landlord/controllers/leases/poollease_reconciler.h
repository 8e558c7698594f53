#pragma once

// The PoolLease controller: claim, provision, hand over, release.

#include <optional>
#include <string>

#include "landlord/controllers/dependencies.h"
#include "landlord/controllers/leases/handover_executor.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/operator/controller/reconciler.h"

namespace landlord::controllers {

// Drives one PoolLease: claims its pool (optimistic-concurrency write on the
// GPUPool's status: never two live leases per pool), provisions the nodes (label,
// taint, uncordon), and, when another lease supersedes it, releases them (cordon,
// evict the tenant's pods, unlabel, untaint) and hands the claim on. Every pass
// re-observes the nodes and re-plans with placement::planHandover, so a restart at
// any moment resumes where the cluster is.
class PoolLeaseReconciler final : public kube::Reconciler {
 public:
  explicit PoolLeaseReconciler(Dependencies deps) : deps_(std::move(deps)) {}
  kube::Result reconcile(kube::ReconcileContext& context, const kube::Request& request) override;

  // How soon a lease in the middle of a handover looks again.
  static constexpr std::chrono::milliseconds kProgressPoll{500};

 private:
  struct Pass;  // one reconcile's state, see the .cpp

  kube::Result finalize(Pass& pass);
  kube::Result claim(Pass& pass);
  kube::Result releaseTo(Pass& pass, const api::PoolLease& successor);
  kube::Result provision(Pass& pass);
  kube::Result runStep(Pass& pass, const placement::HandoverStep& step);

  std::optional<api::PoolLease> successorOf(const std::string& lease);
  // The lease holding `claim`, unless the claim is stale (its lease gone or Released).
  std::optional<api::PoolLease> liveHolder(const Claim& claim);
  HandoverParty partyOf(const std::string& lease, const std::string& tenant);
  std::vector<NodePtr> membersOf(const std::string& pool);
  void setPhase(Pass& pass, std::string_view phase, const std::string& reason,
                const std::string& message);
  void writeStatus(Pass& pass);

  Dependencies deps_;
};

}  // namespace landlord::controllers
