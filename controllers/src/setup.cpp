// Wires landlord's caches, controllers and admission webhooks to the manager.
#include "landlord/controllers/setup.h"

#include <condition_variable>
#include <stop_token>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/placement.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/resources.h"
#include "landlord/api/v1alpha1/tenant.h"
#include "landlord/controllers/admission/admission_policies.h"
#include "landlord/controllers/dependencies.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/controllers/leases/poollease_reconciler.h"
#include "landlord/controllers/ownership/node_ownership_reconciler.h"
#include "landlord/controllers/ownership/ownership_triggers.h"
#include "landlord/controllers/placements/placement_reconciler.h"
#include "landlord/controllers/pools/gpupool_reconciler.h"
#include "landlord/controllers/tenants/tenant_reconciler.h"
#include "landlord/operator/cache/informer.h"
#include "landlord/operator/client/events.h"
#include "landlord/operator/controller/controller.h"

namespace landlord::controllers {

namespace {

// How often a pool whose nodes are on their way reports their progress.
constexpr std::chrono::seconds kProgressPace{1};

// Runs an informer for the manager's lifetime, on every replica.
class InformerRunnable final : public kube::Runnable {
 public:
  explicit InformerRunnable(kube::InformerBase& informer) : informer_(informer) {}
  std::string name() const override { return "informer " + informer_.resource().displayName(); }
  bool needsLeaderElection() const override { return false; }
  void run(std::stop_token stop) override {
    informer_.start();
    std::mutex mutex;
    std::condition_variable_any cv;
    std::unique_lock lock(mutex);
    cv.wait(lock, stop, [] { return false; });
    informer_.stop();
  }

 private:
  kube::InformerBase& informer_;
};

// Starts a controller's workers only once the caches have listed, so no reconcile
// ever plans from an empty cache (an empty pool would look released).
class SyncedController final : public kube::Runnable {
 public:
  SyncedController(kube::Controller& controller, const Controllers& caches)
      : controller_(controller), caches_(caches) {}
  std::string name() const override { return controller_.name(); }
  bool needsLeaderElection() const override { return true; }
  void run(std::stop_token stop) override {
    while (!stop.stop_requested() && !caches_.synced()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!stop.stop_requested()) {
      controller_.run(stop);
    }
  }

 private:
  kube::Controller& controller_;
  const Controllers& caches_;
};

class ControllersImpl final : public Controllers {
 public:
  ControllersImpl(kube::Client& client, const SetupOptions& options)
      : client_(client),
        nodes_(client, kube::resources::nodes(), projectNode),
        pods_(client, kube::resources::pods(), projectPod, {{kPodNodeIndex, podNodeIndexer()}}),
        pools_(client, api::gpuPools(), api::decode<api::GpuPool>),
        tenants_(client, api::tenants(), api::decode<api::Tenant>),
        leases_(client, api::poolLeases(), api::decode<api::PoolLease>),
        placements_(client, api::placements(), api::decode<api::Placement>),
        catalog_(options.catalog),
        exemptions_(options.exemptions) {
    if (options.registry) {
      metrics_ = std::make_unique<DomainMetrics>(*options.registry);
      for (kube::InformerBase* informer : informers()) {
        informer->observeEvents(metrics_->informerEventCounter(informer->resource().displayName()));
      }
    }
    events_ = kube::makeAsyncEventRecorder(kube::makeApiEventRecorder(
        client, {"landlord.dev/operator", options.identity}, *options.clock));
  }

  bool synced() const override {
    for (const kube::InformerBase* informer : informers()) {
      if (!informer->hasSynced()) {
        return false;
      }
    }
    return true;
  }

  std::vector<kube::AdmissionWebhook> admissionWebhooks() const override {
    return controllers::admissionWebhooks(
        AdmissionCaches{nodes_, pools_, tenants_, leases_, placements_, &client_});
  }

  std::vector<kube::InformerBase*> informers() const {
    return {const_cast<kube::Informer<NodeInfo>*>(&nodes_),
            const_cast<kube::Informer<PodInfo>*>(&pods_),
            const_cast<kube::Informer<api::GpuPool>*>(&pools_),
            const_cast<kube::Informer<api::Tenant>*>(&tenants_),
            const_cast<kube::Informer<api::PoolLease>*>(&leases_),
            const_cast<kube::Informer<api::Placement>*>(&placements_)};
  }

  Dependencies deps(kube::Client& client) {
    return Dependencies{.client = client,
                        .nodes = nodes_,
                        .pods = pods_,
                        .pools = pools_,
                        .leases = leases_,
                        .tenants = tenants_,
                        .poolIndex = poolIndex_,
                        .catalog = catalog_,
                        .exemptions = exemptions_,
                        .evictionBlocks = evictionBlocks_,
                        .ownershipLedger = ownershipLedger_,
                        .events = events_.get(),
                        .metrics = metrics_.get(),
                        .now = systemWallClock()};
  }

  kube::Client& client_;  // asked by the webhooks when a cache misses
  kube::Informer<NodeInfo> nodes_;
  kube::Informer<PodInfo> pods_;
  // landlord's objects, decoded once per version (api::decode never throws).
  kube::Informer<api::GpuPool> pools_;
  kube::Informer<api::Tenant> tenants_;
  kube::Informer<api::PoolLease> leases_;
  kube::Informer<api::Placement> placements_;
  placement::Catalog catalog_;
  PoolIndex poolIndex_{catalog_};
  OwnershipExemptions exemptions_;
  EvictionBlocks evictionBlocks_;
  OwnershipLedger ownershipLedger_;
  std::unique_ptr<DomainMetrics> metrics_;
  std::unique_ptr<kube::EventRecorder> events_;
};

// Enqueues every object an informer holds into `controller`.
template <class T>
std::function<void()> enqueueAll(const kube::Informer<T>& informer, kube::Controller& controller) {
  return [&informer, &controller] {
    for (const auto& item : informer.list()) {
      controller.enqueue(
          kube::Request{std::string(item->meta.ns()), std::string(item->meta.name())});
    }
  };
}

template <class T>
void onAnyChange(kube::Informer<T>& informer, std::function<void()> fn) {
  informer.addHandlers(
      kube::EventHandlers<T>{[fn](const kube::Cached<T>&) { fn(); },
                             [fn](const kube::Cached<T>&, const kube::Cached<T>&) { fn(); },
                             [fn](const kube::Cached<T>&) { fn(); }});
}

// As onAnyChange, but not for updates that only moved progress counts.
template <class T>
void onChangeBeyondProgress(kube::Informer<T>& informer, std::function<void()> fn) {
  informer.addHandlers(
      kube::EventHandlers<T>{[fn](const kube::Cached<T>&) { fn(); },
                             [fn](const kube::Cached<T>& old, const kube::Cached<T>& updated) {
                               if (!onlyProgressChanged(old.value, updated.value)) {
                                 fn();
                               }
                             },
                             [fn](const kube::Cached<T>&) { fn(); }});
}

template <class T>
void onSelf(kube::Informer<T>& informer, kube::Controller& controller) {
  auto enqueue = [&controller](const kube::Cached<T>& item) {
    controller.enqueue(kube::Request{std::string(item.meta.ns()), std::string(item.meta.name())});
  };
  informer.addHandlers(kube::EventHandlers<T>{
      enqueue,
      [enqueue](const kube::Cached<T>&, const kube::Cached<T>& updated) { enqueue(updated); },
      enqueue});
}

kube::Controller& addController(kube::Manager& manager, const Controllers& caches,
                                std::vector<std::unique_ptr<kube::Controller>>& owned,
                                const std::string& name, std::unique_ptr<kube::Reconciler> r,
                                const SetupOptions& options, const kube::Logger& log,
                                int workers = 1,
                                std::unique_ptr<kube::RateLimiter> rateLimiter = nullptr) {
  kube::ControllerOptions controllerOptions;
  controllerOptions.rateLimiter = std::move(rateLimiter);
  controllerOptions.name = name;
  controllerOptions.clock = options.clock;
  controllerOptions.registry = options.registry;
  controllerOptions.maxConcurrentReconciles = workers;
  owned.push_back(std::make_unique<kube::Controller>(std::move(controllerOptions), std::move(r),
                                                     log.withValues({{"controller", name}})));
  manager.add(std::make_unique<SyncedController>(*owned.back(), caches));
  return *owned.back();
}

class OwningControllers final : public Controllers {
 public:
  OwningControllers(kube::Client& client, const SetupOptions& options) : impl(client, options) {}
  bool synced() const override { return impl.synced(); }
  std::vector<kube::AdmissionWebhook> admissionWebhooks() const override {
    return impl.admissionWebhooks();
  }
  ControllersImpl impl;
  std::vector<std::unique_ptr<kube::Controller>> controllers;
};

}  // namespace

std::unique_ptr<Controllers> setupControllers(kube::Manager& manager, kube::Client& client,
                                              SetupOptions options, const kube::Logger& log) {
  if (!options.clock) {
    throw std::invalid_argument("setupControllers: options.clock is required");
  }
  auto owning = std::make_unique<OwningControllers>(client, options);
  ControllersImpl& c = owning->impl;
  auto& owned = owning->controllers;

  // The work queue never hands one key to two workers, and every write that
  // decides something (a pool's status, the claim, a lease's status) carries the
  // resourceVersion it was read at, so pools, leases and tenants take
  // --max-concurrent-reconciles. Placements stay at one: they share the capacity
  // of the pools they bind to, and two placing at once could both take the last
  // GPUs before either's status says so.
  const int workers = options.maxConcurrentReconciles;
  kube::Controller& pools =
      addController(manager, *owning, owned, "gpupool",
                    std::make_unique<GpuPoolReconciler>(c.deps(client)), options, log, workers);
  kube::Controller& leases =
      addController(manager, *owning, owned, "poollease",
                    std::make_unique<PoolLeaseReconciler>(c.deps(client)), options, log, workers);
  kube::Controller& tenants =
      addController(manager, *owning, owned, "tenant",
                    std::make_unique<TenantReconciler>(c.deps(client)), options, log, workers);
  kube::Controller& placements =
      addController(manager, *owning, owned, "placement",
                    std::make_unique<PlacementReconciler>(c.deps(client)), options, log, 1);

  // First, so every reconcile woken by a Node or GPUPool event reads an index
  // that already holds it. A node event wakes only the pools it changed (a
  // deleted pool's name too, while nodes carry its labels): during a handover
  // most node writes (tenant labels, taints) change no pool, and waking every pool
  // on each of 150,000 events kept a worker busy recomputing unchanged statuses.
  feedPoolIndex(c.poolIndex_, c.nodes_, c.pools_, [&pools](const std::string& pool) {
    pools.enqueue(kube::Request{"", pool});
  });
  // Node ownership, keyed by node: an event wakes the nodes whose owner it may
  // change, and a node whose standing changed wakes its pool and the lease holding
  // it (their reconciles report the counts). At once when the pool just settled,
  // which a lease waits for; otherwise at most once per kProgressPace, so 30,000
  // nodes settling one by one cost a status write a second, not one per node.
  auto poolProgress = [&c, &pools, &leases](const std::string& pool, bool settled) {
    auto wake = [settled](kube::Controller& controller, const std::string& name) {
      if (settled) {
        controller.enqueue(kube::Request{"", name});
      } else {
        controller.enqueueAfter(kube::Request{"", name}, kProgressPace);
      }
    };
    wake(pools, pool);
    if (const auto cached = c.pools_.get(pool)) {
      if (const auto claim = claimOf(cached->value)) {
        wake(leases, claim->lease);
      }
    }
  };
  kube::Controller& nodeOwners =
      addController(manager, *owning, owned, "nodeownership",
                    std::make_unique<NodeOwnershipReconciler>(c.deps(client), poolProgress),
                    options, log, options.nodeOwnershipWorkers, nodeOwnershipRateLimiter());
  auto enqueueNode = [&nodeOwners](std::string_view node) {
    if (!node.empty()) {
      nodeOwners.enqueue(kube::Request{"", std::string(node)});
    }
  };
  // Members and the nodes still labelled with it: a selector edit moves nodes out.
  auto enqueuePoolNodes = [&c, enqueueNode](const std::string& pool) {
    for (const NodePtr& node : c.poolIndex_.members(pool)) {
      enqueueNode(node->meta.name());
    }
    for (const NodePtr& node : c.poolIndex_.labelWork(pool).staleLabelled) {
      enqueueNode(node->meta.name());
    }
  };
  onSelf(c.nodes_, nodeOwners);
  c.pods_.addHandlers(kube::EventHandlers<PodInfo>{
      [enqueueNode](const kube::Cached<PodInfo>& pod) { enqueueNode(pod.value.nodeName); },
      [enqueueNode](const kube::Cached<PodInfo>& old, const kube::Cached<PodInfo>& pod) {
        enqueueNode(pod.value.nodeName);
        if (old.value.nodeName != pod.value.nodeName) {
          enqueueNode(old.value.nodeName);
        }
      },
      [enqueueNode](const kube::Cached<PodInfo>& pod) { enqueueNode(pod.value.nodeName); }});
  // Pool and lease updates wake the nodes only when they can change an owner: a
  // status write of progress counts changes none.
  auto poolNodesOf = [enqueuePoolNodes](const kube::Cached<api::GpuPool>& pool) {
    enqueuePoolNodes(std::string(pool.meta.name()));
  };
  c.pools_.addHandlers(
      kube::EventHandlers<api::GpuPool>{poolNodesOf,
                                        [poolNodesOf](const auto& old, const auto& pool) {
                                          if (changesNodeOwners(old.value, pool.value)) {
                                            poolNodesOf(pool);
                                          }
                                        },
                                        poolNodesOf});
  auto leaseNodesOf = [enqueuePoolNodes](const kube::Cached<api::PoolLease>& lease) {
    enqueuePoolNodes(lease.value.spec.pool);
  };
  c.leases_.addHandlers(kube::EventHandlers<api::PoolLease>{
      leaseNodesOf,
      [leaseNodesOf, enqueuePoolNodes](const auto& old, const auto& lease) {
        if (changesNodeOwners(old.value, lease.value)) {
          leaseNodesOf(lease);
          if (old.value.spec.pool != lease.value.spec.pool) {
            enqueuePoolNodes(old.value.spec.pool);
          }
        }
      },
      leaseNodesOf});
  // A tenant's namespaces decide whose every pod is; tenants change rarely.
  onAnyChange(c.tenants_, enqueueAll(c.nodes_, nodeOwners));

  // Level-triggered: an event only says "look again", to the objects whose
  // reconcile reads what changed. A PoolLease reconcile reads its pool, the
  // leases on that pool (the claim's holder, its successor) and its tenant; a
  // GPUPool's, the lease its status claims and its tenant; a Tenant's, its leases. Placements
  // place on every pool's capacity at once (one ledger), so any change to a pool,
  // lease, tenant or placement wakes them all; they are few.
  auto leasesOf = [&c, &leases](auto&& related) {
    for (const auto& item : c.leases_.list()) {
      if (related(item->value)) {
        leases.enqueue(kube::Request{"", std::string(item->meta.name())});
      }
    }
  };
  auto onLeaseChange = [&pools, &tenants, leasesOf, &leases](const api::PoolLease& lease) {
    const std::string& name = lease.metadata.name;
    leasesOf([&](const api::PoolLease& other) {
      return other.spec.pool == lease.spec.pool || other.spec.supersedes == name;
    });
    if (!lease.spec.supersedes.empty()) {
      leases.enqueue(kube::Request{"", lease.spec.supersedes});
    }
    pools.enqueue(kube::Request{"", lease.spec.pool});
    tenants.enqueue(kube::Request{"", lease.spec.tenant});
  };
  c.leases_.addHandlers(kube::EventHandlers<api::PoolLease>{
      [onLeaseChange](const auto& lease) { onLeaseChange(lease.value); },
      [onLeaseChange](const auto& old, const auto& lease) {
        if (onlyProgressChanged(old.value, lease.value)) {
          return;
        }
        onLeaseChange(old.value);  // a changed pool or tenant: both sides look again
        onLeaseChange(lease.value);
      },
      [onLeaseChange](const auto& lease) { onLeaseChange(lease.value); }});
  auto leasesOfPool = [leasesOf](const kube::Cached<api::GpuPool>& pool) {
    leasesOf([&](const api::PoolLease& lease) { return lease.spec.pool == pool.meta.name(); });
  };
  c.pools_.addHandlers(
      kube::EventHandlers<api::GpuPool>{leasesOfPool,
                                        [leasesOfPool](const auto& old, const auto& pool) {
                                          if (!onlyProgressChanged(old.value, pool.value)) {
                                            leasesOfPool(pool);
                                          }
                                        },
                                        leasesOfPool});
  // A tenant's leases, and the pools they claim (whose nodes' owner it names).
  auto leasesOfTenant = [leasesOf, &c, &pools](const kube::Cached<api::Tenant>& tenant) {
    leasesOf([&](const api::PoolLease& lease) { return lease.spec.tenant == tenant.meta.name(); });
    for (const auto& pool : c.pools_.list()) {
      if (const auto claim = claimOf(pool->value); claim && claim->tenant == tenant.meta.name()) {
        pools.enqueue(kube::Request{"", std::string(pool->meta.name())});
      }
    }
  };
  c.tenants_.addHandlers(kube::EventHandlers<api::Tenant>{
      leasesOfTenant, [leasesOfTenant](const auto&, const auto& tenant) { leasesOfTenant(tenant); },
      leasesOfTenant});
  onSelf(c.pools_, pools);
  onSelf(c.tenants_, tenants);
  onChangeBeyondProgress(c.pools_, enqueueAll(c.placements_, placements));
  onChangeBeyondProgress(c.leases_, enqueueAll(c.placements_, placements));
  onAnyChange(c.tenants_, enqueueAll(c.placements_, placements));
  onAnyChange(c.placements_, enqueueAll(c.placements_, placements));

  for (kube::InformerBase* informer : c.informers()) {
    manager.add(std::make_unique<InformerRunnable>(*informer));
  }
  return owning;
}

}  // namespace landlord::controllers
