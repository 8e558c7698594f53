#include "landlord/controllers/placements/placement_ledger.h"

#include <algorithm>

#include "landlord/placement/lease.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

json tenantOwning(const std::vector<json>& tenants, const std::string& ns) {
  for (const json& tenant : tenants) {
    for (const json& owned : tenant.value(json::json_pointer("/spec/namespaces"), json::array())) {
      if (owned == ns) {
        return tenant;
      }
    }
  }
  return nullptr;
}

placement::TenantProfile profileOf(const json& tenant) {
  return placement::TenantProfile{
      stringAt(tenant, json::json_pointer("/metadata/name")),
      tenant.value(json::json_pointer("/spec/qualifiedArchitectures"), std::vector<std::string>{})};
}

std::vector<placement::LeasedPool> leasedPoolsOf(const std::string& tenant,
                                                 const std::vector<json>& leases,
                                                 const std::vector<json>& pools,
                                                 const placement::Catalog& catalog) {
  std::vector<placement::LeasedPool> out;
  for (const json& lease : leases) {
    if (stringAt(lease, json::json_pointer("/spec/tenant")) != tenant ||
        stringAt(lease, json::json_pointer("/status/phase")) != "Active") {
      continue;
    }
    const std::string poolName = stringAt(lease, json::json_pointer("/spec/pool"));
    auto pool = std::find_if(pools.begin(), pools.end(), [&](const json& p) {
      return stringAt(p, json::json_pointer("/metadata/name")) == poolName;
    });
    if (pool == pools.end()) {
      continue;
    }
    placement::LeasedPool leased;
    leased.pool = poolName;
    leased.lease = stringAt(lease, json::json_pointer("/metadata/name"));
    leased.tenant = tenant;
    leased.purpose =
        placement::parseLeasePurpose(stringAt(lease, json::json_pointer("/spec/purpose")))
            .value_or(placement::LeasePurpose::Any);
    leased.homogeneous = pool->value(json::json_pointer("/status/homogeneous"), false);
    const std::string negotiated = stringAt(lease, json::json_pointer("/spec/ratePerGPUHour"));
    for (const json& share :
         pool->value(json::json_pointer("/status/composition"), json::array())) {
      const auto model = catalog.findModel(share.value("model", ""));
      if (!model) {
        continue;
      }
      const std::string rate = negotiated.empty() ? share.value("ratePerGPUHour", "0") : negotiated;
      leased.models.push_back(placement::ModelCapacity{*model, share.value("gpus", std::int64_t{0}),
                                                       0, placement::Money::parse(rate)});
    }
    out.push_back(std::move(leased));
  }
  return out;
}

void reserveBound(placement::CapacityLedger& ledger, const std::vector<json>& placements,
                  const std::string& tenant, const std::string& except,
                  const placement::Catalog& catalog) {
  std::vector<const json*> bound;
  for (const json& p : placements) {
    const std::string key = kube::objectKey(stringAt(p, json::json_pointer("/metadata/namespace")),
                                            stringAt(p, json::json_pointer("/metadata/name")));
    if (key != except && stringAt(p, json::json_pointer("/status/tenant")) == tenant &&
        stringAt(p, json::json_pointer("/status/phase")) == "Bound") {
      bound.push_back(&p);
    }
  }
  for (const json* p : bound) {
    for (const json& entry : p->value(json::json_pointer("/status/pools"), json::array())) {
      const placement::LeasedPool* pool = ledger.find(entry.value("name", ""));
      if (!pool) {
        continue;  // no longer the tenant's: the placement will be re-placed
      }
      std::int64_t left = entry.value("gpus", std::int64_t{0});
      // Status records models per pool, not GPUs per model: spread in listed order.
      for (const json& modelName : entry.value("models", json::array())) {
        const auto model = catalog.findModel(modelName.get<std::string>());
        if (!model || left <= 0) {
          continue;
        }
        for (const placement::ModelCapacity& capacity : pool->models) {
          if (capacity.model == *model) {
            const std::int64_t take = std::min(left, capacity.freeGpus());
            if (take > 0) {
              ledger.reserve({placement::Allocation{pool->pool, *model, take}});
              left -= take;
            }
          }
        }
      }
    }
  }
}

}  // namespace landlord::controllers
