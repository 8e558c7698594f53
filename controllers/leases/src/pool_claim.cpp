#include "landlord/controllers/leases/pool_claim.h"

namespace landlord::controllers {

namespace {

json updateStatus(kube::Client& client, const json& pool) {
  return client.update(api::gpuPools(), pool, statusUpdate());
}

}  // namespace

std::optional<Claim> claimOf(const json& pool) {
  const json::json_pointer pointer("/status/lease");
  if (!pool.contains(pointer) || !pool[pointer].is_object()) {
    return std::nullopt;
  }
  const json& lease = pool[pointer];
  return Claim{lease.value("name", ""), lease.value("uid", ""), lease.value("tenant", ""),
               lease.value("purpose", ""), lease.value("claimGeneration", std::int64_t{0})};
}

bool holds(const json& pool, const json& lease) {
  std::optional<Claim> claim = claimOf(pool);
  return claim && claim->lease == stringAt(lease, json::json_pointer("/metadata/name")) &&
         claim->uid == stringAt(lease, json::json_pointer("/metadata/uid"));
}

json writeClaim(kube::Client& client, json pool, const json& lease, const std::string& now) {
  json& status = pool["status"];
  if (!status.is_object()) {
    status = json::object();
  }
  const std::int64_t generation = status.value("leaseGeneration", std::int64_t{0}) + 1;
  status["leaseGeneration"] = generation;
  status["lease"] = {{"name", stringAt(lease, json::json_pointer("/metadata/name"))},
                     {"uid", stringAt(lease, json::json_pointer("/metadata/uid"))},
                     {"tenant", stringAt(lease, json::json_pointer("/spec/tenant"))},
                     {"purpose", stringAt(lease, json::json_pointer("/spec/purpose"))},
                     {"claimGeneration", generation},
                     {"claimedAt", now}};
  status["phase"] = status.contains("handover") ? "HandingOver" : "Leased";
  return updateStatus(client, pool);
}

json dropClaim(kube::Client& client, json pool) {
  pool["status"].erase("lease");
  pool["status"].erase("handover");
  pool["status"]["phase"] = "Available";
  return updateStatus(client, pool);
}

json writeHandoverRecord(kube::Client& client, json pool, const json& record) {
  json& status = pool["status"];
  const json current = status.value("handover", json());
  if (current == record) {
    return pool;
  }
  if (record.is_null()) {
    status.erase("handover");
    if (status.contains("lease")) {
      status["phase"] = "Leased";
    }
  } else {
    status["handover"] = record;
    status["phase"] = "HandingOver";
  }
  return updateStatus(client, pool);
}

}  // namespace landlord::controllers
