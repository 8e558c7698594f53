#pragma once

#include "landlord/controllers/api.h"
#include "landlord/controllers/metrics.h"
#include "landlord/operator/client.h"
#include "landlord/operator/events.h"
#include "landlord/operator/informer.h"
#include "landlord/placement/catalog.h"

namespace landlord::controllers {

// What every reconciler reads and writes through; nothing here is owned. Nodes and
// pods come from informer caches; landlord's own objects are few and are read
// from the API server (quorum reads) so claims are decided on fresh state.
struct Dependencies {
  kube::Client& client;
  const kube::Lister<NodeInfo>& nodes;
  const kube::Lister<PodInfo>& pods;
  const placement::Catalog& catalog;
  kube::EventRecorder* events = nullptr;  // none when null
  DomainMetrics* metrics = nullptr;       // none when null
  WallClock now = systemWallClock();
  int nodeWriteParallelism = 1;  // concurrent node patches within one handover step
};

}  // namespace landlord::controllers
