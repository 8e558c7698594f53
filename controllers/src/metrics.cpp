// landlord's domain metrics on the operator's registry.
#include "landlord/controllers/metrics.h"

namespace landlord::controllers {

DomainMetrics::DomainMetrics(kube::metrics::Registry& registry)
    : poolGpus_(registry.gauge("landlord_pool_gpus", "GPUs counted in a pool, by catalog model.",
                               {"pool", "model"})),
      poolLeasedGpus_(registry.gauge("landlord_pool_leased_gpus",
                                     "GPUs of a pool held by an Active lease.", {"pool"})),
      leaseHourlyRevenue_(registry.gauge("landlord_lease_hourly_revenue_usd",
                                         "What an Active lease earns per hour, in USD.",
                                         {"lease", "tenant", "pool"})),
      handoverDuration_(registry.histogram(
          "landlord_handover_duration_seconds",
          "Time from a superseding lease's creation to Active (the handover of a pool).", {},
          kube::metrics::exponentialBuckets(1, 2, 14))),
      placements_(registry.gauge("landlord_placements", "Placements by phase.", {"phase"})) {}

void DomainMetrics::setPoolGpus(const std::string& pool, const std::string& model, double gpus) {
  poolGpus_.withLabels({pool, model}).set(gpus);
}

void DomainMetrics::setPoolLeasedGpus(const std::string& pool, double gpus) {
  poolLeasedGpus_.withLabels({pool}).set(gpus);
}

void DomainMetrics::setLeaseHourlyRevenue(const std::string& lease, const std::string& tenant,
                                          const std::string& pool, double usd) {
  leaseHourlyRevenue_.withLabels({lease, tenant, pool}).set(usd);
}

void DomainMetrics::observeHandover(double seconds) {
  handoverDuration_.unlabelled().observe(seconds);
}

void DomainMetrics::setPlacements(const std::string& phase, double count) {
  placements_.withLabels({phase}).set(count);
}

}  // namespace landlord::controllers
