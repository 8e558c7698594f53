// GPUPool from and to the API server's JSON.
#include "landlord/api/v1alpha1/gpupool.h"

#include "codec.h"

namespace landlord::api::inline v1alpha1 {

using detail::Field;
using detail::putOptional;
using detail::putString;

namespace {

void decodeSpec(const Field& spec, GpuPoolSpec& into) {
  detail::decodeSelector(spec["nodeSelector"], into.nodeSelector);
  spec["pricing"].readList(into.pricing, [](const Field& item, ModelPrice& price) {
    item["model"].read(price.model);
    item["ratePerGPUHour"].read(price.ratePerGPUHour);
  });
}

json encodeSpec(const GpuPoolSpec& spec) {
  json out = {{"nodeSelector", detail::encodeSelector(spec.nodeSelector)}};
  if (!spec.pricing.empty()) {
    json pricing = json::array();
    for (const ModelPrice& price : spec.pricing) {
      pricing.push_back({{"model", price.model}, {"ratePerGPUHour", price.ratePerGPUHour}});
    }
    out["pricing"] = std::move(pricing);
  }
  return out;
}

void decodeComposition(const Field& item, ModelComposition& share) {
  item["model"].read(share.model);
  item["architecture"].read(share.architecture);
  item["products"].read(share.products);
  item["nodes"].read(share.nodes);
  item["gpus"].read(share.gpus);
  item["trainingH100Equivalents"].read(share.trainingH100Equivalents);
  item["inferenceH100Equivalents"].read(share.inferenceH100Equivalents);
  item["ratePerGPUHour"].read(share.ratePerGPUHour);
}

json encodeComposition(const ModelComposition& share) {
  json out = {{"model", share.model},
              {"products", share.products},
              {"nodes", share.nodes},
              {"gpus", share.gpus}};
  putString(out, "architecture", share.architecture);
  putString(out, "trainingH100Equivalents", share.trainingH100Equivalents);
  putString(out, "inferenceH100Equivalents", share.inferenceH100Equivalents);
  putString(out, "ratePerGPUHour", share.ratePerGPUHour);
  return out;
}

void decodeStatus(const Field& status, GpuPoolStatus& into) {
  status["observedGeneration"].read(into.observedGeneration);
  status["phase"].read(into.phase);
  status["nodes"].read(into.nodes);
  status["gpus"].read(into.gpus);
  status["composition"].readList(into.composition, decodeComposition);
  if (const Field equivalents = status["h100Equivalents"].object(); equivalents.present()) {
    H100Equivalents& figures = into.h100Equivalents.emplace();
    equivalents["training"].read(figures.training);
    equivalents["inference"].read(figures.inference);
  }
  status["homogeneous"].read(into.homogeneous);
  status["mix"].read(into.mix);
  status["architectures"].read(into.architectures);
  status["stragglerEfficiency"].read(into.stragglerEfficiency);
  status["ratePerGPUHour"].read(into.ratePerGPUHour);
  status["hourlyListRate"].read(into.hourlyListRate);
  if (const Field lease = status["lease"].object(); lease.present()) {
    PoolClaim& claim = into.lease.emplace();
    lease["name"].read(claim.name);
    lease["uid"].read(claim.uid);
    lease["tenant"].read(claim.tenant);
    lease["purpose"].read(claim.purpose);
    lease["claimGeneration"].read(claim.claimGeneration);
    lease["claimedAt"].read(claim.claimedAt);
  }
  status["leaseGeneration"].read(into.leaseGeneration);
  if (const Field handover = status["handover"].object(); handover.present()) {
    HandoverRecord& record = into.handover.emplace();
    handover["fromLease"].read(record.fromLease);
    handover["fromTenant"].read(record.fromTenant);
    handover["toLease"].read(record.toLease);
    handover["toTenant"].read(record.toTenant);
    handover["startedAt"].read(record.startedAt);
  }
  status["unknownProducts"].readList(into.unknownProducts,
                                     [](const Field& item, UnknownProduct& unknown) {
                                       item["product"].read(unknown.product);
                                       item["nodes"].read(unknown.nodes);
                                       item["gpus"].read(unknown.gpus);
                                       item["exampleNodes"].read(unknown.exampleNodes);
                                     });
  if (const Field conflicting = status["conflictingNodes"].object(); conflicting.present()) {
    ConflictingNodes& nodes = into.conflictingNodes.emplace();
    conflicting["count"].read(nodes.count);
    conflicting["pools"].read(nodes.pools);
    conflicting["exampleNodes"].read(nodes.exampleNodes);
  }
  if (const Field ownership = status["ownership"].object(); ownership.present()) {
    OwnershipStatus& owned = into.ownership.emplace();
    ownership["owner"].read(owned.owner);
    ownership["mode"].read(owned.mode);
    ownership["converged"].read(owned.converged);
    ownership["pending"].read(owned.pending);
    ownership["blocked"].read(owned.blocked);
    ownership["podsLeaving"].read(owned.podsLeaving);
    ownership["reasons"].read(owned.reasons);
  }
  detail::decodeConditions(status["conditions"], into.conditions);
}

json encodeStatus(const GpuPoolStatus& status) {
  json out = json::object();
  putOptional(out, "observedGeneration", status.observedGeneration);
  putString(out, "phase", status.phase);
  putOptional(out, "nodes", status.nodes);
  putOptional(out, "gpus", status.gpus);
  if (status.composition) {
    json composition = json::array();
    for (const ModelComposition& share : *status.composition) {
      composition.push_back(encodeComposition(share));
    }
    out["composition"] = std::move(composition);
  }
  if (status.h100Equivalents) {
    json equivalents = json::object();
    putString(equivalents, "training", status.h100Equivalents->training);
    putString(equivalents, "inference", status.h100Equivalents->inference);
    out["h100Equivalents"] = std::move(equivalents);
  }
  putOptional(out, "homogeneous", status.homogeneous);
  putString(out, "mix", status.mix);
  putOptional(out, "architectures", status.architectures);
  putString(out, "stragglerEfficiency", status.stragglerEfficiency);
  putString(out, "ratePerGPUHour", status.ratePerGPUHour);
  putString(out, "hourlyListRate", status.hourlyListRate);
  if (status.lease) {
    const PoolClaim& claim = *status.lease;
    json lease = {{"name", claim.name},
                  {"uid", claim.uid},
                  {"tenant", claim.tenant},
                  {"claimGeneration", claim.claimGeneration}};
    putString(lease, "purpose", claim.purpose);
    putString(lease, "claimedAt", claim.claimedAt);
    out["lease"] = std::move(lease);
  }
  putOptional(out, "leaseGeneration", status.leaseGeneration);
  if (status.handover) {
    const HandoverRecord& record = *status.handover;
    json handover = {{"fromLease", record.fromLease}, {"toLease", record.toLease}};
    putString(handover, "fromTenant", record.fromTenant);
    putString(handover, "toTenant", record.toTenant);
    putString(handover, "startedAt", record.startedAt);
    out["handover"] = std::move(handover);
  }
  if (status.unknownProducts) {
    json unknownProducts = json::array();
    for (const UnknownProduct& unknown : *status.unknownProducts) {
      unknownProducts.push_back({{"product", unknown.product},
                                 {"nodes", unknown.nodes},
                                 {"gpus", unknown.gpus},
                                 {"exampleNodes", unknown.exampleNodes}});
    }
    out["unknownProducts"] = std::move(unknownProducts);
  }
  if (status.conflictingNodes) {
    out["conflictingNodes"] = {{"count", status.conflictingNodes->count},
                               {"pools", status.conflictingNodes->pools},
                               {"exampleNodes", status.conflictingNodes->exampleNodes}};
  }
  if (status.ownership) {
    const OwnershipStatus& owned = *status.ownership;
    json ownership = {{"converged", owned.converged},
                      {"pending", owned.pending},
                      {"blocked", owned.blocked},
                      {"podsLeaving", owned.podsLeaving},
                      {"reasons", owned.reasons}};
    putString(ownership, "owner", owned.owner);
    putString(ownership, "mode", owned.mode);
    out["ownership"] = std::move(ownership);
  }
  if (!status.conditions.empty()) {
    out["conditions"] = detail::encodeConditions(status.conditions);
  }
  return out;
}

}  // namespace

template <>
GpuPool decode<GpuPool>(const json& object) {
  GpuPool pool;
  const Field document = Field::document(object, GpuPool::kKind, pool.invalid);
  detail::decodeMetadata(document["metadata"], pool.metadata);
  decodeSpec(document["spec"].object(), pool.spec);
  decodeStatus(document["status"].object(), pool.status);
  return pool;
}

json encode(const GpuPool& pool) {
  return detail::encodeObject(GpuPool::kKind, pool.metadata, encodeSpec(pool.spec),
                              encodeStatus(pool.status));
}

}  // namespace landlord::api::inline v1alpha1
