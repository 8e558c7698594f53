#pragma once

// landlord's domain metrics, registered on the operator's registry. A series
// lives as long as what it describes: the series of a deleted pool or lease,
// and of a model a pool no longer has, are removed, not left at their last value.

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "landlord/operator/cache/informer.h"
#include "landlord/operator/metrics/metrics.h"

namespace landlord::controllers {

class DomainMetrics {
 public:
  explicit DomainMetrics(prometheus::Registry& registry);

  // landlord_pool_gpus{pool,model} for every model of the pool, which
  // replaces the pool's earlier set: a model absent here loses its series.
  void setPoolGpus(const std::string& pool, const std::map<std::string, double>& gpusByModel);
  // landlord_pool_leased_gpus{pool}
  void setPoolLeasedGpus(const std::string& pool, double gpus);
  // Removes every series of a deleted pool.
  void forgetPool(const std::string& pool);

  // landlord_lease_hourly_revenue_usd{lease,tenant,pool}; one series per lease.
  void setLeaseHourlyRevenue(const std::string& lease, const std::string& tenant,
                             const std::string& pool, double usd);
  // landlord_lease_contract_value_usd{lease,tenant,pool} (absent for an open-ended
  // term) and landlord_lease_accrued_revenue_usd{lease,tenant,pool}.
  void setLeaseTermValue(const std::string& lease, const std::string& tenant,
                         const std::string& pool, std::optional<double> contractUsd,
                         double accruedUsd);
  // Removes every series of a deleted lease (and with them its tenant's label value).
  void forgetLease(const std::string& lease);

  // landlord_handover_duration_seconds
  void observeHandover(double seconds);
  // landlord_placements{phase}
  void setPlacements(const std::string& phase, double count);

  // Counts landlord_informer_events_total{resource,event} for one informer:
  // beside workqueue_adds_total, the reconciles each event caused.
  std::function<void(kube::InformerEvent)> informerEventCounter(const std::string& resource);

 private:
  struct LeaseSeries {
    std::string tenant;
    std::string pool;
    prometheus::Gauge* gauge;
  };
  struct TermSeries {
    std::string tenant;
    std::string pool;
    prometheus::Gauge* contract = nullptr;  // null: open-ended
    prometheus::Gauge* accrued = nullptr;
  };
  void removeTermSeries(std::map<std::string, TermSeries>::iterator found);

  prometheus::Family<prometheus::Gauge>& poolGpus_;
  prometheus::Family<prometheus::Gauge>& poolLeasedGpus_;
  prometheus::Family<prometheus::Gauge>& leaseHourlyRevenue_;
  prometheus::Family<prometheus::Gauge>& leaseContractValue_;
  prometheus::Family<prometheus::Gauge>& leaseAccruedRevenue_;
  prometheus::Histogram& handoverDuration_;
  prometheus::Family<prometheus::Gauge>& placements_;
  prometheus::Family<prometheus::Counter>& informerEvents_;

  std::mutex mutex_;  // reconcilers of several controllers report at once
  std::map<std::string, std::map<std::string, prometheus::Gauge*>> poolModels_;  // by pool, model
  std::map<std::string, prometheus::Gauge*> poolLeased_;                         // by pool
  std::map<std::string, LeaseSeries> leases_;                                    // by lease
  std::map<std::string, TermSeries> terms_;                                      // by lease
};

}  // namespace landlord::controllers
