// Placement from and to the API server's JSON.
#include "landlord/api/v1alpha1/placement.h"

#include "codec.h"

namespace landlord::api::inline v1alpha1 {

using detail::Field;
using detail::putOptional;
using detail::putString;

namespace {

void decodeStatus(const Field& status, PlacementStatus& into) {
  status["observedGeneration"].read(into.observedGeneration);
  status["phase"].read(into.phase);
  status["tenant"].read(into.tenant);
  status["pools"].readList(into.pools, [](const Field& item, PoolBinding& binding) {
    item["name"].read(binding.name);
    item["lease"].read(binding.lease);
    item["gpus"].read(binding.gpus);
    item["models"].read(binding.models);
  });
  status["poolNames"].read(into.poolNames);
  status["gpusReserved"].read(into.gpusReserved);
  status["estimatedEfficiency"].read(into.estimatedEfficiency);
  status["boundAt"].read(into.boundAt);
  detail::decodeConditions(status["conditions"], into.conditions);
}

json encodeStatus(const PlacementStatus& status) {
  json out = json::object();
  putOptional(out, "observedGeneration", status.observedGeneration);
  putString(out, "phase", status.phase);
  putString(out, "tenant", status.tenant);
  if (!status.pools.empty()) {
    json pools = json::array();
    for (const PoolBinding& binding : status.pools) {
      json entry = {{"name", binding.name}, {"gpus", binding.gpus}, {"models", binding.models}};
      putString(entry, "lease", binding.lease);
      pools.push_back(std::move(entry));
    }
    out["pools"] = std::move(pools);
  }
  putString(out, "poolNames", status.poolNames);
  putOptional(out, "gpusReserved", status.gpusReserved);
  putString(out, "estimatedEfficiency", status.estimatedEfficiency);
  putString(out, "boundAt", status.boundAt);
  if (!status.conditions.empty()) {
    out["conditions"] = detail::encodeConditions(status.conditions);
  }
  return out;
}

}  // namespace

template <>
Placement decode<Placement>(const json& object) {
  Placement placement;
  const Field document = Field::document(object, Placement::kKind, placement.invalid);
  detail::decodeMetadata(document["metadata"], placement.metadata);
  const Field spec = document["spec"].object();
  spec["workloadType"].read(placement.spec.workloadType);
  spec["gpus"].read(placement.spec.gpus);
  spec["allowedModels"].read(placement.spec.allowedModels);
  decodeStatus(document["status"].object(), placement.status);
  return placement;
}

json encode(const Placement& placement) {
  json spec = {{"workloadType", placement.spec.workloadType}, {"gpus", placement.spec.gpus}};
  if (!placement.spec.allowedModels.empty()) {
    spec["allowedModels"] = placement.spec.allowedModels;
  }
  return detail::encodeObject(Placement::kKind, placement.metadata, std::move(spec),
                              encodeStatus(placement.status));
}

}  // namespace landlord::api::inline v1alpha1
