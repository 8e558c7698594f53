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
      handoverDuration_(
          prometheus::BuildHistogram()
              .Name("landlord_handover_duration_seconds")
              .Help("Time from a superseding lease's creation to Active (the handover of a pool).")
              .Register(registry)
              .Add({}, kube::metrics::exponentialBuckets(1, 2, 14))),
      placements_(prometheus::BuildGauge()
                      .Name("landlord_placements")
                      .Help("Placements by phase.")
                      .Register(registry)) {}

void DomainMetrics::setPoolGpus(const std::string& pool, const std::string& model, double gpus) {
  poolGpus_.Add({{"pool", pool}, {"model", model}}).Set(gpus);
}

void DomainMetrics::setPoolLeasedGpus(const std::string& pool, double gpus) {
  poolLeasedGpus_.Add({{"pool", pool}}).Set(gpus);
}

void DomainMetrics::setLeaseHourlyRevenue(const std::string& lease, const std::string& tenant,
                                          const std::string& pool, double usd) {
  leaseHourlyRevenue_.Add({{"lease", lease}, {"tenant", tenant}, {"pool", pool}}).Set(usd);
}

void DomainMetrics::observeHandover(double seconds) {
  handoverDuration_.Observe(seconds);
}

void DomainMetrics::setPlacements(const std::string& phase, double count) {
  placements_.Add({{"phase", phase}}).Set(count);
}

}  // namespace landlord::controllers
