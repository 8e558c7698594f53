// The GPUPool controller: labels member nodes, takes back a deleted pool's labels, writes status.
#include "landlord/controllers/pools/gpupool_reconciler.h"

#include <map>

#include "landlord/api/v1alpha1/client.h"
#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/nodes/node_writer.h"
#include "landlord/controllers/pools/pool_status.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

namespace {

// The label writes for the nodes whose labels are wrong, as one step of node
// changes (so they go out on the same workers as a handover's).
placement::HandoverStep labelStep(const std::string& pool, const PoolLabelWork& work,
                                  const placement::Catalog& catalog) {
  placement::HandoverStep step;
  for (const NodePtr& node : work.members) {
    placement::NodeChange change;
    change.node = node->meta.name;
    change.setLabels.emplace(api::kPoolLabel, pool);
    if (auto model = catalog.findProduct(node->value.product)) {
      change.setLabels.emplace(api::kGpuModelLabel, catalog.model(*model).name);
    } else {
      change.removeLabels.emplace_back(api::kGpuModelLabel);
    }
    step.nodeChanges.push_back(std::move(change));
  }
  for (const NodePtr& node : work.staleLabelled) {
    placement::NodeChange change;
    change.node = node->meta.name;
    change.removeLabels = {std::string(api::kPoolLabel), std::string(api::kGpuModelLabel)};
    step.nodeChanges.push_back(std::move(change));
  }
  return step;
}

}  // namespace

std::size_t GpuPoolReconciler::labelNodes(const std::string& pool, const PoolLabelWork& work) {
  if (work.members.empty() && work.staleLabelled.empty()) {
    return 0;
  }
  std::vector<NodePtr> nodes = work.members;
  nodes.insert(nodes.end(), work.staleLabelled.begin(), work.staleLabelled.end());
  return applyNodeStep(deps_.client, nodes, labelStep(pool, work, deps_.catalog),
                       deps_.nodeWriteParallelism)
      .patched;
}

kube::Result GpuPoolReconciler::unlabelDeletedPool(kube::ReconcileContext& context,
                                                   const std::string& pool) {
  PoolLabelWork work = deps_.poolIndex.labelWork(pool);
  // The index may hold the pool a moment longer than the cache: a pool that is gone
  // labels nothing, and its delete event updates the index before it enqueues this
  // name again, so the next pass takes the members' labels back too.
  work.members.clear();
  const std::size_t unlabelled = labelNodes(pool, work);
  if (unlabelled > 0) {
    context.log.info("removed the labels of deleted pool {} from {} nodes", pool, unlabelled);
  }
  return kube::Result::success();
}

kube::Result GpuPoolReconciler::reconcile(kube::ReconcileContext& context,
                                          const kube::Request& request) {
  const auto cached = deps_.pools.get(request.name);
  if (!cached) {
    if (deps_.metrics) {
      deps_.metrics->forgetPool(request.name);
    }
    return unlabelDeletedPool(context, request.name);
  }
  const std::optional<PoolSummary> summary = deps_.poolIndex.summary(request.name);
  if (!summary) {
    return kube::Result::success();
  }
  const api::GpuPool& pool = cached->value;
  const std::size_t patched = labelNodes(request.name, deps_.poolIndex.labelWork(request.name));
  if (patched > 0) {
    context.log.info("labelled {} nodes of pool {}", patched, request.name);
  }
  reportInvalid(deps_, pool, context.log);

  const PoolFigures figures = computePoolFigures(pool, *summary, deps_.catalog);
  const api::GpuPoolStatus status =
      buildPoolStatus(pool, *summary, figures, kube::formatTime(deps_.now()));
  if (deps_.metrics) {
    std::map<std::string, double> gpusByModel;
    for (const auto& share : figures.metrics.models) {
      gpusByModel[share.name] = static_cast<double>(share.tally.gpus);
    }
    deps_.metrics->setPoolGpus(request.name, gpusByModel);
    deps_.metrics->setPoolLeasedGpus(
        request.name, status.lease ? static_cast<double>(figures.metrics.gpus) : 0.0);
  }
  // Carries the resourceVersion the cache holds: a concurrent claim by the lease
  // controller (or a cache behind the server) makes this a ConflictError, retried
  // on fresh state; the claim fields are never overwritten from a stale read.
  api::writeStatus(deps_.client, pool, status);
  return kube::Result::success();
}

}  // namespace landlord::controllers
