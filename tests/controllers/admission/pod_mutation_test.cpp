#include <map>
#include <string>

#include "admission_fixture.h"
#include "landlord/testing/fake_client.h"

namespace landlord::controllers::testing {
namespace {

const json kPoolRequirement = {
    {"key", "landlord.dev/pool"}, {"operator", "In"}, {"values", {"colossus-2"}}};
// putBoundPlacement reserves H100s: a hopper-only tenant's share of a mixed pool.
const json kModelRequirement = {
    {"key", "landlord.dev/gpu-model"}, {"operator", "In"}, {"values", {"H100"}}};
const json kRequirements = json::array({kPoolRequirement, kModelRequirement});
const json kAlphaToleration = {{"key", "landlord.dev/tenant"},
                               {"operator", "Equal"},
                               {"value", "alpha"},
                               {"effect", "NoSchedule"}};
const json::json_pointer kTerms(
    "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
    "nodeSelectorTerms");

class PodMutationTest : public AdmissionWorld {
 protected:
  PodMutationTest() { putBoundPlacement("acme", "train-a", {{"colossus-2", "alpha-colossus-2"}}); }

  static json placed(const std::string& placement, const std::string& name = "worker-0") {
    return podObject("acme", name, {{kPlacementLabelKey, placement}, {"app", "trainer"}});
  }

  kube::AdmissionResponse mutate(const json& pod) const {
    return mutatePod(caches(), podCreate(pod));
  }

  // Rewrites status.pools[].models of placement `name` in acme: pool -> models, the
  // key removed for a null value (a status written before models were recorded).
  void setModels(const std::string& name, const std::map<std::string, json>& models) {
    json placementObject = api::encode(placements_.get(kube::objectKey("acme", name))->value);
    for (json& entry : placementObject["status"]["pools"]) {
      const auto found = models.find(entry["name"].get<std::string>());
      if (found == models.end()) {
        continue;
      }
      if (found->second.is_null()) {
        entry.erase("models");
      } else {
        entry["models"] = found->second;
      }
    }
    placements_.put(placementObject);
  }

  // The pod as the API server stores it after applying the webhook's patch.
  json mutated(const json& pod) const {
    const kube::AdmissionResponse response = mutate(pod);
    EXPECT_TRUE(response.allowed) << response.message;
    return pod.patch(response.patch);
  }
};

TEST_F(PodMutationTest, PodWithoutThePlacementLabelPassesUntouched) {
  const kube::AdmissionResponse response = mutate(podObject("acme", "web", {{"app", "web"}}));
  EXPECT_TRUE(response.allowed);
  EXPECT_EQ(response.patch, json::array());
}

TEST_F(PodMutationTest, PodWithoutAffinityGetsOneTermWithPoolAndModelAndTheToleration) {
  const kube::AdmissionResponse response = mutate(placed("train-a"));
  ASSERT_TRUE(response.allowed) << response.message;
  // The exact patch: each "add" creates the parents the pod lacks.
  EXPECT_EQ(response.patch, json::parse(R"([
              {"op": "add", "path": "/spec/affinity", "value": {"nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                  {"matchExpressions": [
                    {"key": "landlord.dev/pool", "operator": "In", "values": ["colossus-2"]},
                    {"key": "landlord.dev/gpu-model", "operator": "In", "values": ["H100"]}]}]}}}},
              {"op": "add", "path": "/spec/tolerations", "value": [
                {"key": "landlord.dev/tenant", "operator": "Equal", "value": "alpha",
                 "effect": "NoSchedule"}]}
            ])"));
  const json pod = placed("train-a").patch(response.patch);
  EXPECT_EQ(pod[kTerms], json::array({{{"matchExpressions", kRequirements}}}));
  EXPECT_EQ(pod["spec"]["tolerations"], json::array({kAlphaToleration}));
  EXPECT_EQ(pod["spec"]["containers"], placed("train-a")["spec"]["containers"]);
}

TEST_F(PodMutationTest, PoolAndModelRequirementsAreAndedIntoEveryExistingRequiredTerm) {
  json pod = placed("train-a");
  const json zone = {{"key", "topology.kubernetes.io/zone"}, {"operator", "In"}, {"values", {"a"}}};
  const json byName = {{"key", "metadata.name"}, {"operator", "In"}, {"values", {"c2-n1"}}};
  const json preferred =
      json::array({{{"weight", 10}, {"preference", {{"matchExpressions", json::array({zone})}}}}});
  const json antiAffinity = {
      {"requiredDuringSchedulingIgnoredDuringExecution",
       json::array({{{"topologyKey", "kubernetes.io/hostname"},
                     {"labelSelector", {{"matchLabels", {{"app", "trainer"}}}}}}})}};
  pod["spec"]["affinity"] = {
      {"nodeAffinity",
       {{"requiredDuringSchedulingIgnoredDuringExecution",
         {{"nodeSelectorTerms", json::array({{{"matchExpressions", json::array({zone})}},
                                             {{"matchFields", json::array({byName})}}})}}},
        {"preferredDuringSchedulingIgnoredDuringExecution", preferred}}},
      {"podAntiAffinity", antiAffinity}};

  const kube::AdmissionResponse response = mutate(pod);
  ASSERT_TRUE(response.allowed) << response.message;
  EXPECT_EQ(response.patch, json::array({{{"op", "add"},
                                          {"path", kTerms.to_string() + "/0/matchExpressions/-"},
                                          {"value", kPoolRequirement}},
                                         {{"op", "add"},
                                          {"path", kTerms.to_string() + "/0/matchExpressions/-"},
                                          {"value", kModelRequirement}},
                                         {{"op", "add"},
                                          {"path", kTerms.to_string() + "/1/matchExpressions"},
                                          {"value", kRequirements}},
                                         {{"op", "add"},
                                          {"path", "/spec/tolerations"},
                                          {"value", json::array({kAlphaToleration})}}}));

  const json result = pod.patch(response.patch);
  EXPECT_EQ(
      result[kTerms],
      json::array({{{"matchExpressions", {zone, kPoolRequirement, kModelRequirement}}},
                   {{"matchFields", json::array({byName})}, {"matchExpressions", kRequirements}}}));
  EXPECT_EQ(
      result["spec"]["affinity"]["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"],
      preferred);
  EXPECT_EQ(result["spec"]["affinity"]["podAntiAffinity"], antiAffinity);
}

TEST_F(PodMutationTest, PodAffinityAloneKeepsItAndGainsNodeAffinity) {
  json pod = placed("train-a");
  const json podAffinity = {
      {"preferredDuringSchedulingIgnoredDuringExecution",
       json::array({{{"weight", 1},
                     {"podAffinityTerm",
                      {{"topologyKey", "kubernetes.io/hostname"},
                       {"labelSelector", {{"matchLabels", {{"app", "cache"}}}}}}}}})}};
  pod["spec"]["affinity"] = {{"podAffinity", podAffinity}};
  const kube::AdmissionResponse response = mutate(pod);
  ASSERT_TRUE(response.allowed);
  EXPECT_EQ(response.patch[0]["path"], "/spec/affinity/nodeAffinity");
  const json result = pod.patch(response.patch);
  EXPECT_EQ(result["spec"]["affinity"]["podAffinity"], podAffinity);
  EXPECT_EQ(result[kTerms], json::array({{{"matchExpressions", kRequirements}}}));
}

TEST_F(PodMutationTest, AnEmptyTermStillMatchesNothing) {
  json pod = placed("train-a");
  pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {"nodeSelectorTerms",
       json::array({json::object(),
                    {{"matchExpressions", json::array()}},
                    {{"matchFields",
                      {{{"key", "metadata.name"}, {"operator", "In"}, {"values", {"c2-n1"}}}}}}})}};
  const json result = mutated(pod);
  EXPECT_EQ(result[kTerms][0], json::object());
  EXPECT_EQ(result[kTerms][1], json({{"matchExpressions", json::array()}}));
  EXPECT_EQ(result[kTerms][2]["matchExpressions"], kRequirements);
}

TEST_F(PodMutationTest, ExistingTolerationsAreKeptAndTheTenantsIsAppended) {
  json pod = placed("train-a");
  const json gpu = {{"key", "nvidia.com/gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}};
  pod["spec"]["tolerations"] = json::array({gpu});
  const kube::AdmissionResponse response = mutate(pod);
  ASSERT_TRUE(response.allowed);
  EXPECT_EQ(response.patch.back(),
            json({{"op", "add"}, {"path", "/spec/tolerations/-"}, {"value", kAlphaToleration}}));
  EXPECT_EQ(pod.patch(response.patch)["spec"]["tolerations"], json::array({gpu, kAlphaToleration}));
}

TEST_F(PodMutationTest, TheTenantsTolerationIsNotAddedTwice) {
  json pod = placed("train-a");
  // Effect left out: it tolerates every effect of the key and value, NoSchedule included.
  const json own = {{"key", "landlord.dev/tenant"}, {"operator", "Equal"}, {"value", "alpha"}};
  pod["spec"]["tolerations"] = json::array({own});
  const json result = mutated(pod);
  EXPECT_EQ(result["spec"]["tolerations"], json::array({own}));
}

TEST_F(PodMutationTest, MutatingAMutatedPodChangesNothing) {
  const json once = mutated(placed("train-a"));
  const kube::AdmissionResponse again = mutate(once);
  EXPECT_TRUE(again.allowed);
  EXPECT_EQ(again.patch, json::array());
}

TEST_F(PodMutationTest, MutatingAMutatedPodWithItsOwnTermsChangesNothing) {
  leases_.put(leaseObject("alpha-spare", "spare", "alpha", "Active"));
  putBoundPlacement("acme", "serve",
                    {{"colossus-2", "alpha-colossus-2"}, {"spare", "alpha-spare"}});
  setModels("serve", {{"colossus-2", {"H200", "H100"}}, {"spare", {"H100"}}});
  json pod = placed("serve");
  const json zone = {{"key", "topology.kubernetes.io/zone"}, {"operator", "In"}, {"values", {"a"}}};
  const json byName = {{"key", "metadata.name"}, {"operator", "In"}, {"values", {"c2-n1"}}};
  pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {"nodeSelectorTerms", json::array({json::object(),
                                         {{"matchExpressions", json::array({zone})}},
                                         {{"matchFields", json::array({byName})}}})}};
  const json once = mutated(pod);
  ASSERT_EQ(once[kTerms][1]["matchExpressions"].size(), 3u);
  ASSERT_EQ(once[kTerms][2]["matchExpressions"].size(), 2u);
  const kube::AdmissionResponse again = mutate(once);
  EXPECT_TRUE(again.allowed) << again.message;
  EXPECT_EQ(again.patch, json::array());
}

TEST_F(PodMutationTest, PlacementBoundToSeveralPoolsAllowsEach) {
  leases_.put(leaseObject("alpha-spare", "spare", "alpha", "Active"));
  putBoundPlacement("acme", "serve",
                    {{"colossus-2", "alpha-colossus-2"}, {"spare", "alpha-spare"}});
  const json result = mutated(placed("serve"));
  EXPECT_EQ(result[kTerms][0]["matchExpressions"][0]["values"],
            json::array({"colossus-2", "spare"}));
  EXPECT_EQ(result[kTerms][0]["matchExpressions"][1], kModelRequirement);
}

TEST_F(PodMutationTest, PlacementOnPoolsWithDifferentModelsRequiresTheirUnion) {
  leases_.put(leaseObject("alpha-spare", "spare", "alpha", "Active"));
  putBoundPlacement("acme", "serve",
                    {{"colossus-2", "alpha-colossus-2"}, {"spare", "alpha-spare"}});
  // Listed out of order and overlapping: the requirement is sorted, each model once.
  setModels("serve", {{"colossus-2", {"H200", "H100"}}, {"spare", {"H100"}}});
  const kube::AdmissionResponse response = mutate(placed("serve"));
  ASSERT_TRUE(response.allowed) << response.message;
  EXPECT_EQ(response.patch, json::parse(R"([
              {"op": "add", "path": "/spec/affinity", "value": {"nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                  {"matchExpressions": [
                    {"key": "landlord.dev/pool", "operator": "In",
                     "values": ["colossus-2", "spare"]},
                    {"key": "landlord.dev/gpu-model", "operator": "In",
                     "values": ["H100", "H200"]}]}]}}}},
              {"op": "add", "path": "/spec/tolerations", "value": [
                {"key": "landlord.dev/tenant", "operator": "Equal", "value": "alpha",
                 "effect": "NoSchedule"}]}
            ])"));
}

TEST_F(PodMutationTest, PlacementWhosePoolsListNoModelsRequiresOnlyThePools) {
  leases_.put(leaseObject("alpha-spare", "spare", "alpha", "Active"));
  putBoundPlacement("acme", "old", {{"colossus-2", "alpha-colossus-2"}, {"spare", "alpha-spare"}});
  // A status from before models were recorded: no key on one entry, none listed on
  // the other.
  setModels("old", {{"colossus-2", nullptr}, {"spare", json::array()}});
  const kube::AdmissionResponse response = mutate(placed("old"));
  ASSERT_TRUE(response.allowed) << response.message;
  EXPECT_EQ(response.patch, json::parse(R"([
              {"op": "add", "path": "/spec/affinity", "value": {"nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                  {"matchExpressions": [
                    {"key": "landlord.dev/pool", "operator": "In",
                     "values": ["colossus-2", "spare"]}]}]}}}},
              {"op": "add", "path": "/spec/tolerations", "value": [
                {"key": "landlord.dev/tenant", "operator": "Equal", "value": "alpha",
                 "effect": "NoSchedule"}]}
            ])"));
}

TEST_F(PodMutationTest, TermAlreadyRequiringThePoolGainsOnlyTheModel) {
  json pod = placed("train-a");
  pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {"nodeSelectorTerms",
       json::array({{{"matchExpressions", json::array({kPoolRequirement})}}})}};
  pod["spec"]["tolerations"] = json::array({kAlphaToleration});
  const kube::AdmissionResponse response = mutate(pod);
  ASSERT_TRUE(response.allowed) << response.message;
  EXPECT_EQ(response.patch, json::array({{{"op", "add"},
                                          {"path", kTerms.to_string() + "/0/matchExpressions/-"},
                                          {"value", kModelRequirement}}}));
}

TEST_F(PodMutationTest, MissingPlacementIsDeniedSayingSo) {
  const kube::AdmissionResponse response = mutate(placed("nope"));
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.code, 403);
  EXPECT_EQ(response.reason, "Forbidden");
  EXPECT_EQ(response.message,
            "placement \"nope\" in namespace \"acme\" does not exist; create it, or remove the "
            "label landlord.dev/placement from the pod");
}

// The Placement and its pods applied together: the cache may not have the Placement,
// or may still hold it unbound, when the pods arrive; the API server decides.
TEST_F(PodMutationTest, PlacementTheCacheHasNotSeenBoundIsReadFromTheServer) {
  kube::FakeClient server;
  server_ = &server;
  putBoundPlacement("acme", "just-bound", {{"colossus-2", "alpha-colossus-2"}});
  server.create(api::placements(), "acme",
                api::encode(placements_.get(kube::objectKey("acme", "just-bound"))->value));
  placements_.remove(kube::objectKey("acme", "just-bound"));
  const json missing = mutated(placed("just-bound"));
  EXPECT_EQ(missing.at(kTerms), json::array({{{"matchExpressions", kRequirements}}}));

  putUnboundPlacement("acme", "just-bound", "Pending", "", "");  // the cache is behind
  const json stale = mutated(placed("just-bound"));
  EXPECT_EQ(stale.at(kTerms), json::array({{{"matchExpressions", kRequirements}}}));

  server_ = nullptr;  // the cache alone still says Pending
  EXPECT_FALSE(mutate(placed("just-bound")).allowed);
}

TEST_F(PodMutationTest, PlacementNeitherCachedNorOnTheServerIsDenied) {
  kube::FakeClient server;
  server_ = &server;
  const kube::AdmissionResponse response = mutate(placed("nope"));
  EXPECT_FALSE(response.allowed);
  EXPECT_NE(response.message.find("placement \"nope\" in namespace \"acme\" does not exist"),
            std::string::npos);
}

TEST_F(PodMutationTest, PlacementOfAnotherNamespaceDoesNotCount) {
  putBoundPlacement("acme-dev", "dev-only", {{"colossus-2", "alpha-colossus-2"}});
  const kube::AdmissionResponse response = mutate(placed("dev-only"));
  EXPECT_FALSE(response.allowed);
  EXPECT_NE(response.message.find("placement \"dev-only\" in namespace \"acme\" does not exist"),
            std::string::npos);
}

TEST_F(PodMutationTest, UnboundPlacementIsDeniedWithItsPhaseAndReason) {
  putUnboundPlacement("acme", "train-b", "Unplaceable", "InsufficientCapacity",
                      "needs 64 GPUs, 16 free");
  const kube::AdmissionResponse response = mutate(placed("train-b"));
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.code, 403);
  EXPECT_EQ(
      response.message,
      "placement \"train-b\" in namespace \"acme\" is Unplaceable: needs 64 GPUs, 16 free "
      "(InsufficientCapacity); pods labelled landlord.dev/placement=train-b are admitted once "
      "it is Bound");
}

TEST_F(PodMutationTest, NotYetEvaluatedPlacementIsPending) {
  putUnboundPlacement("acme", "fresh", "", "", "");
  const kube::AdmissionResponse response = mutate(placed("fresh"));
  EXPECT_FALSE(response.allowed);
  EXPECT_NE(response.message.find("placement \"fresh\" in namespace \"acme\" is Pending: "),
            std::string::npos);
  EXPECT_NE(response.message.find("admitted once it is Bound"), std::string::npos);
}

TEST_F(PodMutationTest, BindingToAPoolHandedToAnotherTenantWaitsForRePlacement) {
  putBoundPlacement("acme", "stale", {{"colossus-1", "alpha-colossus-1"}});
  const kube::AdmissionResponse response = mutate(placed("stale"));
  EXPECT_FALSE(response.allowed);
  EXPECT_NE(response.message.find("is bound to pool \"colossus-1\", which tenant \"alpha\" no "
                                  "longer holds: it is leased to tenant \"beta\" (lease "
                                  "\"beta-colossus-1\")"),
            std::string::npos)
      << response.message;
}

TEST_F(PodMutationTest, NamespaceWithoutTenantIsDenied) {
  tenants_.put(tenantObject("alpha", {"acme-dev"}));
  const kube::AdmissionResponse response = mutate(placed("train-a"));
  EXPECT_FALSE(response.allowed);
  EXPECT_NE(response.message.find("namespace \"acme\" belongs to no Tenant"), std::string::npos);
}

TEST_F(PodMutationTest, OnlyPodCreatesAreMutated) {
  kube::AdmissionRequest request = podCreate(placed("nope"));
  request.operation = "UPDATE";
  EXPECT_TRUE(mutatePod(caches(), request).allowed);
}

TEST_F(PodMutationTest, ServedOnItsPathAndMalformedPodsGetBadRequest) {
  const std::vector<kube::AdmissionWebhook> webhooks = admissionWebhooks(caches());
  ASSERT_EQ(webhooks.size(), 3u);
  EXPECT_EQ(webhooks[0].path, "/mutate-v1-pod");
  EXPECT_EQ(webhooks[1].path, "/validate-v1-pod");
  EXPECT_EQ(webhooks[2].path, "/validate-landlord-dev-v1alpha1");
  json pod = podObject("default", "agent");
  pod["metadata"]["ownerReferences"] =
      json::array({{{"kind", "DaemonSet"}, {"controller", "yes"}}});
  const kube::AdmissionResponse response = webhooks[1].handler(podCreate(pod));
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.code, 400);
  EXPECT_EQ(response.reason, "BadRequest");
  kube::AdmissionRequest notAnObject = podCreate(placed("train-a"));
  notAnObject.object = json::array();
  EXPECT_EQ(webhooks[0].handler(notAnObject).code, 400);
  EXPECT_EQ(webhooks[1].handler(notAnObject).code, 400);
  const kube::AdmissionResponse ok = webhooks[0].handler(podCreate(placed("train-a")));
  EXPECT_TRUE(ok.allowed);
  EXPECT_EQ(ok.patch.size(), 2u);
}

}  // namespace
}  // namespace landlord::controllers::testing
