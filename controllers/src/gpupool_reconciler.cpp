#include "landlord/controllers/gpupool_reconciler.h"

#include "landlord/controllers/node_writer.h"
#include "landlord/controllers/pool_membership.h"
#include "landlord/controllers/pool_status.h"
#include "landlord/placement/labels.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

int GpuPoolReconciler::labelNodes(const std::string& pool, const PoolMembership& membership) {
  int patched = 0;
  for (const NodePtr& node : membership.members) {
    placement::NodeChange change;
    change.node = node->meta.name;
    change.setLabels.emplace(placement::kPoolLabel, pool);
    if (auto model = deps_.catalog.findProduct(node->value.product)) {
      change.setLabels.emplace(placement::kGpuModelLabel, deps_.catalog.model(*model).name);
    } else {
      change.removeLabels.emplace_back(placement::kGpuModelLabel);
    }
    patched += applyNodeChange(deps_.client, *node, change) ? 1 : 0;
  }
  for (const NodePtr& node : membership.staleLabelled) {
    placement::NodeChange change;
    change.node = node->meta.name;
    change.removeLabels = {std::string(placement::kPoolLabel),
                           std::string(placement::kGpuModelLabel)};
    patched += applyNodeChange(deps_.client, *node, change) ? 1 : 0;
  }
  return patched;
}

kube::Result GpuPoolReconciler::reconcile(kube::ReconcileContext& context,
                                          const kube::Request& request) {
  json pool;
  try {
    pool = deps_.client.get(api::gpuPools(), "", request.name);
  } catch (const kube::NotFoundError&) {
    return kube::Result::success();
  }
  const std::vector<json> pools = kube::listAll(deps_.client, api::gpuPools(), "").items;
  const PoolMembership membership = computeMembership(request.name, pools, deps_.nodes.list());
  const int patched = labelNodes(request.name, membership);
  if (patched > 0) {
    context.log.info("labelled {} nodes of pool {}", patched, request.name);
  }

  const PoolFigures figures = computePoolFigures(pool, membership, deps_.catalog);
  json status = buildPoolStatus(pool, membership, figures, deps_.catalog, formatTime(deps_.now()));
  if (deps_.metrics) {
    for (const auto& share : figures.metrics.models) {
      deps_.metrics->setPoolGpus(request.name, share.name, static_cast<double>(share.tally.gpus));
    }
    const bool leased = status.contains("lease") && !status["lease"].is_null();
    deps_.metrics->setPoolLeasedGpus(request.name,
                                     leased ? static_cast<double>(figures.metrics.gpus) : 0.0);
  }
  if (status == pool.value("status", json::object())) {
    return kube::Result::success();
  }
  pool["status"] = std::move(status);
  // Carries the resourceVersion read: a concurrent claim by the lease controller
  // wins and this is retried on fresh state.
  deps_.client.update(api::gpuPools(), pool, statusUpdate());
  return kube::Result::success();
}

}  // namespace landlord::controllers
