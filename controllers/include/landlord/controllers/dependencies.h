#pragma once

#include "landlord/controllers/api.h"
#include "landlord/controllers/metrics.h"
#include "landlord/controllers/nodes/pool_index.h"
#include "landlord/operator/cache/informer.h"
#include "landlord/operator/client/client.h"
#include "landlord/operator/client/events.h"
#include "landlord/placement/catalog.h"

namespace landlord::controllers {

// What every reconciler reads and writes through; nothing here is owned. Reads come
// from informer caches, which may lag the server: every write that decides
// something (a claim, a status) carries the resourceVersion it was read at, so a
// stale read costs a ConflictError and a requeue, never a wrong decision.
struct Dependencies {
  kube::Client& client;
  const kube::Lister<NodeInfo>& nodes;
  const kube::Lister<PodInfo>& pods;
  const kube::Lister<json>& pools;    // GPUPools
  const kube::Lister<json>& leases;   // PoolLeases
  const kube::Lister<json>& tenants;  // Tenants
  const PoolIndex& poolIndex;         // pool membership and summaries, from the caches above
  const placement::Catalog& catalog;
  kube::EventRecorder* events = nullptr;  // none when null
  DomainMetrics* metrics = nullptr;       // none when null
  WallClock now = systemWallClock();
  int nodeWriteParallelism = 1;  // concurrent node patches within one handover step
};

}  // namespace landlord::controllers
