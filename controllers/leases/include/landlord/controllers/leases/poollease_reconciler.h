#pragma once

// The PoolLease controller: claim, provision, hand over, release.

#include <optional>
#include <string>

#include "landlord/controllers/dependencies.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/operator/controller/reconciler.h"

namespace landlord::controllers {

// Drives one PoolLease: claims its pool (optimistic-concurrency write on the
// GPUPool's status: never two live leases per pool), waits while the node
// ownership controller gives the nodes to its tenant (Provisioning), and, when
// another lease supersedes it or it is deleted, goes Releasing: the nodes are held
// and the tenant's pods drained; then it hands the claim on (or drops it). The
// lease writes no node: its phase and the claim are what the node ownership
// controller converges on, so a restart at any moment resumes where the cluster is.
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
  // Releasing: nullopt once every member is held and none of the tenant's pods is
  // left; otherwise the result to return (Failed at the drain deadline under Fail).
  std::optional<kube::Result> drain(Pass& pass, const std::string& reason,
                                    const std::string& message);

  // spec.term: a lease before its start waits Scheduled (or Pending when its term
  // overlaps an earlier lease's); nullopt when it may claim its pool now.
  std::optional<kube::Result> waitForTerm(Pass& pass);
  // The term's end reached while holding the pool: hand it to returnTo (a lease
  // created once, by name) or release it.
  kube::Result endTerm(Pass& pass);
  // Creates the lease returning the pool; false when the API server refused it.
  bool createReturnLease(Pass& pass, const std::string& name);
  // `result`, or sooner when the term's end comes first.
  kube::Result untilTermEnd(Pass& pass, kube::Result result);
  // A moved spec.term.end on a live lease is a renewal or an early end: an Event.
  void noteTermChange(Pass& pass);
  // status.term's money, and the lease's contract metrics.
  void recordTermValue(Pass& pass);

  // The lease superseding `lease` whose term (if any) has started.
  std::optional<api::PoolLease> successorOf(const std::string& lease);
  // The lease holding `claim`, unless the claim is stale (its lease gone or Released).
  std::optional<api::PoolLease> liveHolder(const Claim& claim);
  bool tenantExists(const std::string& tenant);
  void setPhase(Pass& pass, std::string_view phase, const std::string& reason,
                const std::string& message);
  void writeStatus(Pass& pass);

  Dependencies deps_;
};

}  // namespace landlord::controllers
