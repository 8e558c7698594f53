#pragma once

// What every reconciler reads and writes through, and how a reconciler reports an
// object of its kind that did not decode whole.

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/tenant.h"
#include "landlord/controllers/metrics.h"
#include "landlord/controllers/nodes/pool_index.h"
#include "landlord/controllers/ownership/eviction_blocks.h"
#include "landlord/controllers/ownership/exemptions.h"
#include "landlord/controllers/ownership/ownership_ledger.h"
#include "landlord/controllers/projections/node.h"
#include "landlord/controllers/projections/pod.h"
#include "landlord/controllers/wall_clock.h"
#include "landlord/operator/base/logging.h"
#include "landlord/operator/cache/informer.h"
#include "landlord/operator/client/client.h"
#include "landlord/operator/client/events.h"
#include "landlord/placement/catalog.h"

namespace landlord::controllers {

// Nothing here is owned. Reads come from informer caches, which may lag the
// server: every write that decides something (a claim, a status) carries the
// resourceVersion it was read at, so a stale read costs a ConflictError and a
// requeue, never a wrong decision.
struct Dependencies {
  kube::Client& client;
  const kube::Lister<NodeInfo>& nodes;
  const kube::Lister<PodInfo>& pods;
  const kube::Lister<api::GpuPool>& pools;
  const kube::Lister<api::PoolLease>& leases;
  const kube::Lister<api::Tenant>& tenants;
  const PoolIndex& poolIndex;  // pool membership and summaries, from the caches above
  const placement::Catalog& catalog;
  const OwnershipExemptions& exemptions;  // pods node ownership never evicts
  EvictionBlocks& evictionBlocks;         // evictions a PodDisruptionBudget refused, per node
  OwnershipLedger& ownershipLedger;       // each node's standing, summed per pool and owner
  kube::EventRecorder* events = nullptr;  // none when null
  DomainMetrics* metrics = nullptr;       // none when null
  WallClock now = systemWallClock();
};

// An object whose fields did not all decode (api::*::invalid; the API server's
// schema refuses such objects, so only a schema bypassed or changed makes one) is
// reconciled on what did decode, as its JSON always was; the fields that did not
// are logged and reported in a Warning event on the object, for someone to fix.
template <class Object>
void reportInvalid(const Dependencies& deps, const Object& object, const kube::Logger& log) {
  if (object.invalid.empty()) {
    return;
  }
  const std::string fields = api::DecodeError(object.invalid).what();
  log.warn("{} {}: fields that do not decode are read as absent: {}", Object::kKind,
           object.metadata.key(), fields);
  if (deps.events) {
    deps.events->record(api::referenceTo(object), kube::EventType::Warning, "InvalidFields",
                        "Decode", fields);
  }
}

}  // namespace landlord::controllers
