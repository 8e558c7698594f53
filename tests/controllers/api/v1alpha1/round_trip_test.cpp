// Encoding writes back exactly what decoding read, for every kind as the
// controllers write it, and for a sample of every field crds/ defines: so a
// full-status update loses nothing the server holds.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/placement.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/tenant.h"

namespace landlord::api::v1alpha1 {
namespace {

json condition(const std::string& type, const std::string& status, const std::string& reason) {
  return {{"type", type},
          {"status", status},
          {"reason", reason},
          {"message", "because"},
          {"observedGeneration", 3},
          {"lastTransitionTime", "2026-01-01T00:00:00Z"}};
}

template <class Object>
void expectRoundTrip(const json& object) {
  const Object decoded = decode<Object>(object);
  EXPECT_TRUE(decoded.invalid.empty()) << decoded.invalid.front();
  EXPECT_EQ(encode(decoded), object);
  EXPECT_EQ(decode<Object>(encode(decoded)), decoded);
}

TEST(RoundTripTest, GpuPoolHandingOver) {
  expectRoundTrip<GpuPool>(
      {{"apiVersion", "landlord.dev/v1alpha1"},
       {"kind", "GPUPool"},
       {"metadata",
        {{"name", "colossus-1"},
         {"uid", "u-1"},
         {"resourceVersion", "42"},
         {"generation", 3},
         {"creationTimestamp", "2026-01-01T00:00:00Z"}}},
       {"spec",
        {{"nodeSelector",
          {{"matchLabels", {{"topology.kubernetes.io/zone", "colossus-1"}}},
           {"matchExpressions",
            json::array({{{"key", "cordon"}, {"operator", "DoesNotExist"}},
                         {{"key", "gpu"}, {"operator", "In"}, {"values", {"a", "b"}}}})}}},
         {"pricing", json::array({{{"model", "GB200"}, {"ratePerGPUHour", "5.00"}}})}}},
       {"status",
        {{"observedGeneration", 3},
         {"phase", "HandingOver"},
         {"nodes", 3},
         {"gpus", 20},
         {"composition", json::array({{{"model", "H100"},
                                       {"architecture", "hopper"},
                                       {"products", {"NVIDIA-H100-80GB-HBM3"}},
                                       {"nodes", 2},
                                       {"gpus", 16},
                                       {"trainingH100Equivalents", "16"},
                                       {"inferenceH100Equivalents", "16"},
                                       {"ratePerGPUHour", "2.20"}}})},
         {"h100Equivalents", {{"training", "26"}, {"inference", "28"}}},
         {"homogeneous", false},
         {"mix", "Mixed"},
         {"architectures", {"blackwell", "hopper"}},
         {"stragglerEfficiency", "0.7692"},
         {"ratePerGPUHour", "2.68"},
         {"hourlyListRate", "53.60"},
         {"lease",
          {{"name", "own"},
           {"uid", "u-own"},
           {"tenant", "owner"},
           {"purpose", "training"},
           {"claimGeneration", 1},
           {"claimedAt", "2026-01-01T00:00:00Z"}}},
         {"leaseGeneration", 1},
         {"handover",
          {{"fromLease", "own"},
           {"fromTenant", "owner"},
           {"toLease", "next"},
           {"toTenant", "lessee"},
           {"startedAt", "2026-01-01T00:01:00Z"}}},
         {"unknownProducts",
          json::array({{{"product", ""}, {"nodes", 1}, {"gpus", 0}, {"exampleNodes", {"cpu-1"}}}})},
         {"conflictingNodes",
          {{"count", 0}, {"pools", json::array()}, {"exampleNodes", json::array()}}},
         {"ownership",
          {{"owner", "owner"},
           {"mode", "Hold"},
           {"converged", 2},
           {"pending", 0},
           {"blocked", 1},
           {"podsLeaving", 1},
           {"reasons",
            {"node n3: PodDisruptionBudget web-pdb refuses to evict pod owner-ns/w-1"}}}},
         {"conditions", json::array({condition("NodesConflict", "False", "NoConflicts"),
                                     condition("Ready", "True", "Observed")})}}}});
}

TEST(RoundTripTest, GpuPoolClaimedBeforeItWasCounted) {
  // The lease controller's claim can be the first status write a pool sees.
  expectRoundTrip<GpuPool>(
      {{"apiVersion", "landlord.dev/v1alpha1"},
       {"kind", "GPUPool"},
       {"metadata", {{"name", "c1"}}},
       {"spec", {{"nodeSelector", {{"matchLabels", {{"zone", "c1"}}}}}}},
       {"status",
        {{"phase", "Leased"},
         {"leaseGeneration", 1},
         {"lease", {{"name", "a"}, {"uid", "u-a"}, {"tenant", "t"}, {"claimGeneration", 1}}}}}});
}

TEST(RoundTripTest, PoolLeaseReleasing) {
  expectRoundTrip<PoolLease>(
      {{"apiVersion", "landlord.dev/v1alpha1"},
       {"kind", "PoolLease"},
       {"metadata",
        {{"name", "own"},
         {"uid", "u-own"},
         {"resourceVersion", "77"},
         {"generation", 2},
         {"creationTimestamp", "2026-01-01T00:00:00Z"},
         {"deletionTimestamp", "2026-01-02T00:00:00Z"},
         {"finalizers", {"landlord.dev/release-nodes"}},
         {"labels", {{"team", "ml"}}},
         {"annotations", {{"note", "x"}}}}},
       {"spec",
        {{"pool", "c1"},
         {"tenant", "owner"},
         {"purpose", "training"},
         {"ratePerGPUHour", "2.60"},
         {"drain", {{"timeoutSeconds", 600}, {"policy", "Fail"}}}}},
       {"status",
        {{"observedGeneration", 2},
         {"phase", "Releasing"},
         {"claimGeneration", 1},
         {"nodes", 2},
         {"gpus", 16},
         {"ratePerGPUHour", "2.6000"},
         {"hourlyRate", "41.60"},
         {"annualisedRevenue", "364416.00"},
         {"supersededBy", "next"},
         {"claimedAt", "2026-01-01T00:00:00Z"},
         {"activatedAt", "2026-01-01T00:00:01Z"},
         {"releaseStartedAt", "2026-01-01T01:00:00Z"},
         {"progress",
          {{"step", "Evict"},
           {"summary", "Evicting 2 pods"},
           {"steps", json::array({{{"name", "Cordon"},
                                   {"completed", 2},
                                   {"total", 2},
                                   {"startedAt", "2026-01-01T01:00:00Z"},
                                   {"completedAt", "2026-01-01T01:00:01Z"},
                                   {"message", "Cordoning 2 nodes"}},
                                  {{"name", "Evict"},
                                   {"completed", 0},
                                   {"total", 2},
                                   {"startedAt", "2026-01-01T01:00:01Z"},
                                   {"message", "Evicting 2 pods"}}})}}},
         {"drain",
          {{"startedAt", "2026-01-01T01:00:01Z"},
           {"deadline", "2026-01-01T01:10:01Z"},
           {"podsRemaining", 2},
           {"forcedPods", 0}}},
         {"conditions", json::array({condition("PoolClaimed", "True", "Claimed"),
                                     condition("Drained", "False", "Evicting"),
                                     condition("Ready", "False", "HandoverStarted")})}}}});
}

TEST(RoundTripTest, PoolLeaseAsTheCliCreatesIt) {
  expectRoundTrip<PoolLease>({{"apiVersion", "landlord.dev/v1alpha1"},
                              {"kind", "PoolLease"},
                              {"metadata", {{"name", "lessee-colossus-1"}}},
                              {"spec",
                               {{"pool", "colossus-1"},
                                {"tenant", "lessee"},
                                {"purpose", "inference"},
                                {"supersedes", "owner-colossus-1"}}}});
}

TEST(RoundTripTest, TenantWithItsLeases) {
  expectRoundTrip<Tenant>(
      {{"apiVersion", "landlord.dev/v1alpha1"},
       {"kind", "Tenant"},
       {"metadata", {{"name", "owner"}, {"generation", 1}}},
       {"spec", {{"namespaces", {"train", "eval"}}, {"qualifiedArchitectures", {"hopper"}}}},
       {"status",
        {{"observedGeneration", 1},
         {"leases", json::array({{{"name", "own"},
                                  {"pool", "c1"},
                                  {"phase", "Active"},
                                  {"purpose", "training"},
                                  {"gpus", 16},
                                  {"hourlyRate", "35.20"}},
                                 {{"name", "wait"},
                                  {"pool", "c2"},
                                  {"phase", "Pending"},
                                  {"purpose", "any"},
                                  {"gpus", 0}}})},
         {"activeLeases", 1},
         {"gpus", 16},
         {"hourlySpend", "35.20"},
         {"annualisedSpend", "308352.00"},
         {"conditions", json::array({condition("Ready", "True", "Observed")})}}}});
}

TEST(RoundTripTest, TenantWithNoLeaseYet) {
  expectRoundTrip<Tenant>(
      {{"apiVersion", "landlord.dev/v1alpha1"},
       {"kind", "Tenant"},
       {"metadata", {{"name", "lessee"}}},
       {"spec", {{"namespaces", {"serve"}}, {"qualifiedArchitectures", {"hopper"}}}},
       {"status",
        {{"observedGeneration", 1},
         {"leases", json::array()},
         {"activeLeases", 0},
         {"gpus", 0},
         {"hourlySpend", "0.00"},
         {"annualisedSpend", "0.00"}}}});
}

TEST(RoundTripTest, PlacementBoundAndUnplaceable) {
  expectRoundTrip<Placement>(
      {{"apiVersion", "landlord.dev/v1alpha1"},
       {"kind", "Placement"},
       {"metadata", {{"name", "serve"}, {"namespace", "acme"}, {"generation", 1}}},
       {"spec", {{"workloadType", "inference"}, {"gpus", 12}, {"allowedModels", {"H100"}}}},
       {"status",
        {{"observedGeneration", 1},
         {"phase", "Bound"},
         {"tenant", "alpha"},
         {"pools",
          json::array({{{"name", "c1"}, {"lease", "a-c1"}, {"gpus", 12}, {"models", {"H100"}}}})},
         {"poolNames", "c1"},
         {"gpusReserved", 12},
         {"estimatedEfficiency", "1"},
         {"boundAt", "2026-01-01T00:00:00Z"},
         {"conditions", json::array({condition("Placed", "True", "Bound")})}}}});
  expectRoundTrip<Placement>(
      {{"apiVersion", "landlord.dev/v1alpha1"},
       {"kind", "Placement"},
       {"metadata", {{"name", "train"}, {"namespace", "acme"}}},
       {"spec", {{"workloadType", "training"}, {"gpus", 64}}},
       {"status",
        {{"observedGeneration", 1},
         {"phase", "Unplaceable"},
         {"conditions", json::array({condition("Placed", "False", "NoActiveLease")})}}}});
}

// A value for every property of an OpenAPI schema: the property's own name for a
// string (the first value of an enum), 3, true, one entry per list and map.
json sample(const YAML::Node& schema, const std::string& name) {
  const std::string type = schema["type"] ? schema["type"].as<std::string>() : "object";
  if (type == "string") {
    return schema["enum"] ? json(schema["enum"][0].as<std::string>()) : json(name);
  }
  if (type == "integer") {
    return 3;
  }
  if (type == "boolean") {
    return true;
  }
  if (type == "array") {
    return json::array({sample(schema["items"], name)});
  }
  json out = json::object();
  if (schema["properties"]) {
    for (const auto& property : schema["properties"]) {
      const std::string key = property.first.as<std::string>();
      out[key] = sample(property.second, key);
    }
  }
  if (schema["additionalProperties"]) {
    out["some-key"] = sample(schema["additionalProperties"], "value");
  }
  return out;
}

// Every spec and status field of a CRD, with metadata as landlord reads it.
json everyField(const std::string& crd) {
  const YAML::Node document =
      YAML::LoadFile(std::string(LANDLORD_REPOSITORY_ROOT) + "/crds/landlord.dev_" + crd + ".yaml");
  const YAML::Node schema = document["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
  return {{"apiVersion", "landlord.dev/v1alpha1"},
          {"kind", document["spec"]["names"]["kind"].as<std::string>()},
          {"metadata",
           {{"name", "name"},
            {"namespace", "namespace"},
            {"uid", "uid"},
            {"resourceVersion", "12"},
            {"generation", 4},
            {"creationTimestamp", "2026-01-01T00:00:00Z"},
            {"deletionTimestamp", "2026-01-02T00:00:00Z"},
            {"labels", {{"label", "value"}}},
            {"annotations", {{"annotation", "value"}}},
            {"finalizers", {"landlord.dev/release-nodes"}}}},
          {"spec", sample(schema["properties"]["spec"], "spec")},
          {"status", sample(schema["properties"]["status"], "status")}};
}

TEST(RoundTripTest, EveryFieldOfTheCrdsIsModelled) {
  expectRoundTrip<GpuPool>(everyField("gpupools"));
  expectRoundTrip<Tenant>(everyField("tenants"));
  expectRoundTrip<PoolLease>(everyField("poolleases"));
  expectRoundTrip<Placement>(everyField("placements"));
}

}  // namespace
}  // namespace landlord::api::v1alpha1
