// landlord's domain metrics on the operator's registry.
#include "landlord/controllers/metrics.h"

namespace landlord::controllers {

DomainMetrics::DomainMetrics(prometheus::Registry& registry)
    : poolGpus_(prometheus::BuildGauge()
                    .Name("landlord_pool_gpus")
                    .Help("GPUs counted in a pool, by catalog model.")
                    .Register(registry)),
      poolLeasedGpus_(prometheus::BuildGauge()
                          .Name("landlord_pool_leased_gpus")
                          .Help("GPUs of a pool held by an Active lease.")
                          .Register(registry)),
      leaseHourlyRevenue_(prometheus::BuildGauge()
                              .Name("landlord_lease_hourly_revenue_usd")
                              .Help("What an Active lease earns per hour, in USD.")
                              .Register(registry)),
      leaseContractValue_(prometheus::BuildGauge()
                              .Name("landlord_lease_contract_value_usd")
                              .Help("What a lease's term is worth in USD: rate x GPUs x hours "
                                    "from its start to its end.")
                              .Register(registry)),
      leaseAccruedRevenue_(prometheus::BuildGauge()
                               .Name("landlord_lease_accrued_revenue_usd")
                               .Help("What a lease with a term has earned so far, in USD.")
                               .Register(registry)),
      handoverDuration_(
          prometheus::BuildHistogram()
              .Name("landlord_handover_duration_seconds")
              .Help("Time from a superseding lease's creation to Active (the handover of a pool).")
              .Register(registry)
              .Add({}, kube::metrics::exponentialBuckets(1, 2, 14))),
      placements_(prometheus::BuildGauge()
                      .Name("landlord_placements")
                      .Help("Placements by phase.")
                      .Register(registry)),
      informerEvents_(prometheus::BuildCounter()
                          .Name("landlord_informer_events_total")
                          .Help("Watch events and re-listed objects an informer received, by what "
                                "they were: add, update, delete, or unchanged (woke no handler).")
                          .Register(registry)) {}

std::function<void(kube::InformerEvent)> DomainMetrics::informerEventCounter(
    const std::string& resource) {
  using kube::InformerEvent;
  std::map<InformerEvent, prometheus::Counter*> counters;
  for (const InformerEvent event : {InformerEvent::Added, InformerEvent::Updated,
                                    InformerEvent::Deleted, InformerEvent::Unchanged}) {
    counters[event] =
        &informerEvents_.Add({{"resource", resource}, {"event", std::string(toString(event))}});
  }
  return [counters = std::move(counters)](InformerEvent event) { counters.at(event)->Increment(); };
}

void DomainMetrics::setPoolGpus(const std::string& pool,
                                const std::map<std::string, double>& gpusByModel) {
  std::lock_guard lock(mutex_);
  std::map<std::string, prometheus::Gauge*>& models = poolModels_[pool];
  for (auto it = models.begin(); it != models.end();) {
    if (gpusByModel.contains(it->first)) {
      ++it;
    } else {
      poolGpus_.Remove(it->second);
      it = models.erase(it);
    }
  }
  for (const auto& [model, gpus] : gpusByModel) {
    prometheus::Gauge*& gauge = models[model];
    if (gauge == nullptr) {
      gauge = &poolGpus_.Add({{"pool", pool}, {"model", model}});
    }
    gauge->Set(gpus);
  }
  if (models.empty()) {
    poolModels_.erase(pool);
  }
}

void DomainMetrics::setPoolLeasedGpus(const std::string& pool, double gpus) {
  std::lock_guard lock(mutex_);
  prometheus::Gauge*& gauge = poolLeased_[pool];
  if (gauge == nullptr) {
    gauge = &poolLeasedGpus_.Add({{"pool", pool}});
  }
  gauge->Set(gpus);
}

void DomainMetrics::forgetPool(const std::string& pool) {
  std::lock_guard lock(mutex_);
  if (const auto models = poolModels_.find(pool); models != poolModels_.end()) {
    for (const auto& [model, gauge] : models->second) {
      poolGpus_.Remove(gauge);
    }
    poolModels_.erase(models);
  }
  if (const auto leased = poolLeased_.find(pool); leased != poolLeased_.end()) {
    poolLeasedGpus_.Remove(leased->second);
    poolLeased_.erase(leased);
  }
}

void DomainMetrics::setLeaseHourlyRevenue(const std::string& lease, const std::string& tenant,
                                          const std::string& pool, double usd) {
  std::lock_guard lock(mutex_);
  auto found = leases_.find(lease);
  if (found != leases_.end() && (found->second.tenant != tenant || found->second.pool != pool)) {
    leaseHourlyRevenue_.Remove(found->second.gauge);
    leases_.erase(found);
    found = leases_.end();
  }
  if (found == leases_.end()) {
    prometheus::Gauge& gauge =
        leaseHourlyRevenue_.Add({{"lease", lease}, {"tenant", tenant}, {"pool", pool}});
    found = leases_.emplace(lease, LeaseSeries{tenant, pool, &gauge}).first;
  }
  found->second.gauge->Set(usd);
}

void DomainMetrics::removeTermSeries(std::map<std::string, TermSeries>::iterator found) {
  if (found->second.contract != nullptr) {
    leaseContractValue_.Remove(found->second.contract);
  }
  leaseAccruedRevenue_.Remove(found->second.accrued);
  terms_.erase(found);
}

void DomainMetrics::setLeaseTermValue(const std::string& lease, const std::string& tenant,
                                      const std::string& pool, std::optional<double> contractUsd,
                                      double accruedUsd) {
  std::lock_guard lock(mutex_);
  auto found = terms_.find(lease);
  if (found != terms_.end() && (found->second.tenant != tenant || found->second.pool != pool ||
                                (found->second.contract != nullptr) != contractUsd.has_value())) {
    removeTermSeries(found);
    found = terms_.end();
  }
  const prometheus::Labels labels{{"lease", lease}, {"tenant", tenant}, {"pool", pool}};
  if (found == terms_.end()) {
    TermSeries series{tenant, pool, nullptr, &leaseAccruedRevenue_.Add(labels)};
    if (contractUsd) {
      series.contract = &leaseContractValue_.Add(labels);
    }
    found = terms_.emplace(lease, series).first;
  }
  if (contractUsd) {
    found->second.contract->Set(*contractUsd);
  }
  found->second.accrued->Set(accruedUsd);
}

void DomainMetrics::forgetLease(const std::string& lease) {
  std::lock_guard lock(mutex_);
  if (const auto found = leases_.find(lease); found != leases_.end()) {
    leaseHourlyRevenue_.Remove(found->second.gauge);
    leases_.erase(found);
  }
  if (const auto found = terms_.find(lease); found != terms_.end()) {
    removeTermSeries(found);
  }
}

void DomainMetrics::observeHandover(double seconds) {
  handoverDuration_.Observe(seconds);
}

void DomainMetrics::setPlacements(const std::string& phase, double count) {
  std::lock_guard lock(mutex_);
  placements_.Add({{"phase", phase}}).Set(count);
}

}  // namespace landlord::controllers
