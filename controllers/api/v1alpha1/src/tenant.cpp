// Tenant from and to the API server's JSON.
#include "landlord/api/v1alpha1/tenant.h"

#include <algorithm>

#include "codec.h"

namespace landlord::api::inline v1alpha1 {

using detail::Field;
using detail::putOptional;
using detail::putString;

namespace {

void decodeStatus(const Field& status, TenantStatus& into) {
  status["observedGeneration"].read(into.observedGeneration);
  status["activeLeases"].read(into.activeLeases);
  status["gpus"].read(into.gpus);
  status["hourlySpend"].read(into.hourlySpend);
  status["annualisedSpend"].read(into.annualisedSpend);
  status["leases"].readList(into.leases, [](const Field& item, TenantLease& lease) {
    item["name"].read(lease.name);
    item["pool"].read(lease.pool);
    item["phase"].read(lease.phase);
    item["purpose"].read(lease.purpose);
    item["gpus"].read(lease.gpus);
    item["hourlyRate"].read(lease.hourlyRate);
  });
  detail::decodeConditions(status["conditions"], into.conditions);
}

json encodeStatus(const TenantStatus& status) {
  json out = json::object();
  putOptional(out, "observedGeneration", status.observedGeneration);
  putOptional(out, "activeLeases", status.activeLeases);
  putOptional(out, "gpus", status.gpus);
  putString(out, "hourlySpend", status.hourlySpend);
  putString(out, "annualisedSpend", status.annualisedSpend);
  if (status.leases) {
    json leases = json::array();
    for (const TenantLease& lease : *status.leases) {
      json entry = {{"name", lease.name}, {"pool", lease.pool}, {"gpus", lease.gpus}};
      putString(entry, "phase", lease.phase);
      putString(entry, "purpose", lease.purpose);
      putString(entry, "hourlyRate", lease.hourlyRate);
      leases.push_back(std::move(entry));
    }
    out["leases"] = std::move(leases);
  }
  if (!status.conditions.empty()) {
    out["conditions"] = detail::encodeConditions(status.conditions);
  }
  return out;
}

}  // namespace

bool listsNamespace(const Tenant& tenant, std::string_view ns) {
  return std::find(tenant.spec.namespaces.begin(), tenant.spec.namespaces.end(), ns) !=
         tenant.spec.namespaces.end();
}

template <>
Tenant decode<Tenant>(const json& object) {
  Tenant tenant;
  const Field document = Field::document(object, Tenant::kKind, tenant.invalid);
  detail::decodeMetadata(document["metadata"], tenant.metadata);
  const Field spec = document["spec"].object();
  spec["namespaces"].read(tenant.spec.namespaces);
  spec["qualifiedArchitectures"].read(tenant.spec.qualifiedArchitectures);
  decodeStatus(document["status"].object(), tenant.status);
  return tenant;
}

json encode(const Tenant& tenant) {
  return detail::encodeObject(Tenant::kKind, tenant.metadata,
                              {{"namespaces", tenant.spec.namespaces},
                               {"qualifiedArchitectures", tenant.spec.qualifiedArchitectures}},
                              encodeStatus(tenant.status));
}

}  // namespace landlord::api::inline v1alpha1
