// The GPUPool controller: status, node convergence, and the finalizer that releases nodes.
#include "landlord/controllers/pools/gpupool_reconciler.h"

#include <algorithm>

#include "landlord/api/v1alpha1/client.h"
#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/ownership/node_marks.h"
#include "landlord/controllers/ownership/ownership_view.h"
#include "landlord/controllers/pools/pool_status.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

namespace {

bool hasFinalizer(const api::GpuPool& pool) {
  const auto& finalizers = pool.metadata.finalizers;
  return std::find(finalizers.begin(), finalizers.end(), api::kPoolFinalizer) != finalizers.end();
}

std::string modeName(placement::OwnerMode mode) {
  switch (mode) {
    case placement::OwnerMode::Own:
      return "Own";
    case placement::OwnerMode::Hold:
      return "Hold";
    case placement::OwnerMode::Free:
      break;
  }
  return "Free";
}

void recordOwnership(api::GpuPoolStatus& status, const PoolOwner& owner,
                     const OwnershipTally& tally, std::int64_t generation, const std::string& now) {
  api::OwnershipStatus& ownership = status.ownership.emplace();
  ownership.owner = owner.tenant;
  ownership.mode = modeName(owner.mode);
  ownership.converged = tally.converged;
  ownership.blocked = tally.blocked;
  ownership.pending = tally.members - tally.converged - tally.blocked;
  ownership.podsLeaving = tally.podsLeaving;
  ownership.reasons = tally.reasons;
  const std::string whose = owner.tenant.empty() ? "nobody" : "tenant " + owner.tenant;
  if (tally.settled()) {
    api::setCondition(status.conditions,
                      {api::kNodesConvergedCondition, "True", "Converged",
                       "every node carries what " + whose + " should (" + ownership.mode + ")"},
                      generation, now);
  } else {
    api::setCondition(
        status.conditions,
        {api::kNodesConvergedCondition, "False",
         tally.blocked > 0 ? "BlockedByDisruptionBudget" : "Converging",
         std::to_string(tally.members - tally.converged) + " of " + std::to_string(tally.members) +
             " nodes still to bring to " + whose + ", " + std::to_string(tally.podsLeaving) +
             " pods to leave" + (tally.reasons.empty() ? "" : "; " + tally.reasons.front())},
        generation, now);
  }
}

// A node still carrying a mark of `pool` (or, as a member, any tenant mark or hold).
bool carriesMarksOf(const NodeInfo& node, const std::string& pool, bool member) {
  const placement::NodeMarks marks = marksOf(node);
  if (marks.pool == pool) {
    return true;
  }
  return member && (marks.tenant || !marks.tenantTaints.empty() || marks.held());
}

}  // namespace

kube::Result GpuPoolReconciler::finalize(kube::ReconcileContext& context,
                                         const api::GpuPool& pool) {
  if (!hasFinalizer(pool)) {
    return kube::Result::success();
  }
  const std::string& name = pool.metadata.name;
  std::size_t marked = 0;
  for (const NodePtr& node : deps_.poolIndex.members(name)) {
    marked += carriesMarksOf(node->value, name, true) ? 1 : 0;
  }
  for (const NodePtr& node : deps_.poolIndex.labelWork(name).staleLabelled) {
    marked += carriesMarksOf(node->value, name, false) ? 1 : 0;
  }
  if (marked > 0) {
    context.log.info("pool {} deleted: {} nodes still carry its marks", name, marked);
    return kube::Result::requeueAfter(kReleasePoll);
  }
  std::vector<std::string> finalizers = pool.metadata.finalizers;
  std::erase(finalizers, std::string(api::kPoolFinalizer));
  api::writeFinalizers(deps_.client, pool, finalizers);
  if (deps_.metrics) {
    deps_.metrics->forgetPool(name);
  }
  context.log.info("pool {} deleted: its nodes are released", name);
  return kube::Result::success();
}

kube::Result GpuPoolReconciler::reconcile(kube::ReconcileContext& context,
                                          const kube::Request& request) {
  const auto cached = deps_.pools.get(request.name);
  if (!cached) {
    if (deps_.metrics) {
      deps_.metrics->forgetPool(request.name);
    }
    return kube::Result::success();
  }
  api::GpuPool pool = cached->value;
  if (pool.metadata.deleting()) {
    return finalize(context, pool);
  }
  if (!hasFinalizer(pool)) {
    std::vector<std::string> finalizers = pool.metadata.finalizers;
    finalizers.emplace_back(api::kPoolFinalizer);
    pool = api::writeFinalizers(deps_.client, pool, finalizers);
  }
  const std::optional<PoolSummary> summary = deps_.poolIndex.summary(request.name);
  if (!summary) {
    return kube::Result::success();
  }
  reportInvalid(deps_, pool, context.log);

  const PoolFigures figures = computePoolFigures(pool, *summary, deps_.catalog);
  const std::string now = kube::formatTime(deps_.now());
  api::GpuPoolStatus status = buildPoolStatus(pool, *summary, figures, now);
  const OwnershipView view(deps_);
  const PoolOwner owner = view.ownerOf(pool);
  recordOwnership(status, owner, view.tally(request.name, owner), pool.metadata.generation, now);
  if (deps_.metrics) {
    std::map<std::string, double> gpus;
    for (const auto& share : figures.metrics.models) {
      gpus[share.name] = static_cast<double>(share.tally.gpus);
    }
    deps_.metrics->setPoolGpus(request.name, gpus);
    deps_.metrics->setPoolLeasedGpus(
        request.name, status.lease ? static_cast<double>(figures.metrics.gpus) : 0.0);
  }
  // Carries the resourceVersion the cache holds: a concurrent claim by the lease
  // controller (or a cache behind the server) makes this a ConflictError, retried
  // on fresh state; the claim fields are never overwritten from a stale read.
  if (status != pool.status) {
    api::writeStatus(deps_.client, pool, status);
  }
  return kube::Result::success();
}

}  // namespace landlord::controllers
