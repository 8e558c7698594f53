#pragma once

// landlord's domain metrics, registered on the operator's registry.

#include <string>

#include "landlord/operator/metrics/metrics.h"

namespace landlord::controllers {

class DomainMetrics {
 public:
  explicit DomainMetrics(prometheus::Registry& registry);

  // landlord_pool_gpus{pool,model}
  void setPoolGpus(const std::string& pool, const std::string& model, double gpus);
  // landlord_pool_leased_gpus{pool}
  void setPoolLeasedGpus(const std::string& pool, double gpus);
  // landlord_lease_hourly_revenue_usd{lease,tenant,pool}
  void setLeaseHourlyRevenue(const std::string& lease, const std::string& tenant,
                             const std::string& pool, double usd);
  // landlord_handover_duration_seconds
  void observeHandover(double seconds);
  // landlord_placements{phase}
  void setPlacements(const std::string& phase, double count);

 private:
  prometheus::Family<prometheus::Gauge>& poolGpus_;
  prometheus::Family<prometheus::Gauge>& poolLeasedGpus_;
  prometheus::Family<prometheus::Gauge>& leaseHourlyRevenue_;
  prometheus::Histogram& handoverDuration_;
  prometheus::Family<prometheus::Gauge>& placements_;
};

}  // namespace landlord::controllers
