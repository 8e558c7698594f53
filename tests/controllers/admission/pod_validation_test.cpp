#include "admission_fixture.h"

namespace landlord::controllers::testing {
namespace {

class PodValidationTest : public AdmissionWorld {
 protected:
  kube::AdmissionResponse validate(const json& pod) const {
    return validatePod(caches(), podCreate(pod));
  }

  // An UPDATE from `before` to `after`, as the API server sends it.
  kube::AdmissionResponse validateUpdate(const json& before, const json& after) const {
    kube::AdmissionRequest request = podCreate(after);
    request.operation = "UPDATE";
    request.oldObject = before;
    return validatePod(caches(), request);
  }

  static json acmePod() { return podObject("acme", "x"); }

  // Held back from the scheduler: Kubernetes lets its nodeSelector and affinity change.
  static json gated(json pod) {
    pod["spec"]["schedulingGates"] = json::array({{{"name", "example.com/wait"}}});
    return pod;
  }

  static json holdToleration(const std::string& op, const std::string& value = "",
                             const std::string& effect = "NoSchedule") {
    json toleration = {{"key", "landlord.dev/handover"}, {"operator", op}};
    if (!value.empty()) {
      toleration["value"] = value;
    }
    if (!effect.empty()) {
      toleration["effect"] = effect;
    }
    return toleration;
  }

  static json withToleration(json pod, json toleration) {
    pod["spec"]["tolerations"].push_back(std::move(toleration));
    return pod;
  }

  static json tenantToleration(const std::string& tenant) {
    return {
        {"key", kTenantKey}, {"operator", "Equal"}, {"value", tenant}, {"effect", "NoSchedule"}};
  }

  static json requiringPools(json pod, const std::vector<std::vector<std::string>>& terms) {
    json list = json::array();
    for (const std::vector<std::string>& pools : terms) {
      list.push_back(
          {{"matchExpressions",
            json::array({{{"key", kPoolLabelKey}, {"operator", "In"}, {"values", pools}}})}});
    }
    pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
       ["nodeSelectorTerms"] = list;
    return pod;
  }

  static void expectDenied(const kube::AdmissionResponse& response,
                           const std::vector<std::string>& parts) {
    EXPECT_FALSE(response.allowed);
    EXPECT_EQ(response.code, 403);
    for (const std::string& part : parts) {
      EXPECT_NE(response.message.find(part), std::string::npos)
          << "'" << part << "' not in: " << response.message;
    }
  }
};

TEST_F(PodValidationTest, PodNotTouchingLandlordPoolsIsAllowed) {
  json pod = withToleration(acmePod(), {{"key", "nvidia.com/gpu"}, {"operator", "Exists"}});
  pod["spec"]["nodeSelector"] = {{"kubernetes.io/arch", "amd64"}};
  pod["spec"]["nodeName"] = "cpu-n1";
  EXPECT_TRUE(validate(pod).allowed);
  EXPECT_TRUE(validate(podObject("default", "plain")).allowed);
}

TEST_F(PodValidationTest, OwnTenantsTolerationIsAllowed) {
  EXPECT_TRUE(validate(withToleration(acmePod(), tenantToleration("alpha"))).allowed);
}

TEST_F(PodValidationTest, AnotherTenantsTolerationIsDeniedNamingTenantAndLease) {
  const kube::AdmissionResponse response =
      validate(withToleration(acmePod(), tenantToleration("beta")));
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.code, 403);
  EXPECT_EQ(response.message,
            "pod \"x\" in namespace \"acme\" tolerates the taint "
            "landlord.dev/tenant=beta:NoSchedule of tenant \"beta\" (lease \"beta-colossus-1\" on "
            "pool \"colossus-1\"); only pods of tenant beta's namespaces may");
}

TEST_F(PodValidationTest, TolerationOfATenantWithoutLeaseIsStillForeign) {
  expectDenied(validate(withToleration(acmePod(), tenantToleration("gamma"))),
               {"landlord.dev/tenant=gamma:NoSchedule", "which holds no pool now"});
}

TEST_F(PodValidationTest, ExistsOnTheTenantKeyIsDeniedEvenForTheOwnTenant) {
  const json exists = {{"key", kTenantKey}, {"operator", "Exists"}};
  expectDenied(
      validate(withToleration(acmePod(), exists)),
      {"tolerates every tenant's taint", "lease \"beta-colossus-1\" on pool \"colossus-1\"",
       "tolerate only landlord.dev/tenant=alpha:NoSchedule"});
}

TEST_F(PodValidationTest, TolerateEverythingIsDeniedForTenantPods) {
  const json everything = {{"operator", "Exists"}};
  expectDenied(validate(withToleration(acmePod(), everything)),
               {"tolerates every taint", "tenant \"beta\""});
}

TEST_F(PodValidationTest, TolerateEverythingIsDeniedForPodsOfNoTenantExceptNodeAgents) {
  const json everything = {{"operator", "Exists"}};
  const json pod = withToleration(podObject("monitoring", "exporter"), everything);
  expectDenied(validate(pod), {"pod \"exporter\" in namespace \"monitoring\"",
                               "a pod of no tenant may tolerate no landlord.dev/tenant taint"});
  json agent = pod;
  agent["metadata"]["ownerReferences"] = json::array(
      {{{"apiVersion", "apps/v1"}, {"kind", "DaemonSet"}, {"name", "dcgm"}, {"controller", true}}});
  EXPECT_TRUE(validate(agent).allowed);
}

TEST_F(PodValidationTest, ADaemonSetOfATenantGetsNoExemption) {
  json pod = withToleration(acmePod(), {{"operator", "Exists"}});
  pod["metadata"]["ownerReferences"] =
      json::array({{{"kind", "DaemonSet"}, {"name", "agent"}, {"controller", true}}});
  EXPECT_FALSE(validate(pod).allowed);
}

TEST_F(PodValidationTest, TolerationsOfOtherEffectsDoNotPassTheTaint) {
  const json noExecute = {{"key", kTenantKey}, {"operator", "Exists"}, {"effect", "NoExecute"}};
  EXPECT_TRUE(validate(withToleration(acmePod(), noExecute)).allowed);
}

TEST_F(PodValidationTest, NodeNameOnAnotherTenantsPoolIsDenied) {
  json pod = acmePod();
  pod["spec"]["nodeName"] = "c1-n1";
  const kube::AdmissionResponse response = validate(pod);
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.message,
            "pod \"x\" in namespace \"acme\" sets spec.nodeName to node \"c1-n1\" of pool "
            "\"colossus-1\", leased to tenant \"beta\" (lease \"beta-colossus-1\"); only pods of "
            "tenant beta's namespaces may run there");
}

TEST_F(PodValidationTest, NodeNameOnOwnFreeOrUnknownNodesIsAllowed) {
  for (const char* node : {"c2-n1", "spare-n1", "cpu-n1", "not-cached"}) {
    json pod = acmePod();
    pod["spec"]["nodeName"] = node;
    EXPECT_TRUE(validate(pod).allowed) << node;
  }
}

TEST_F(PodValidationTest, NodeNameOnATaintedNodeOfNoHeldPoolFollowsTheTaint) {
  nodes_.put(nodeObject("orphan-n1", "", "beta"));
  json pod = acmePod();
  pod["spec"]["nodeName"] = "orphan-n1";
  expectDenied(validate(pod), {"node \"orphan-n1\", tainted landlord.dev/tenant=beta:NoSchedule",
                               "for tenant \"beta\""});
}

TEST_F(PodValidationTest, NodeSelectorOnAnotherTenantsPoolIsDenied) {
  json pod = acmePod();
  pod["spec"]["nodeSelector"] = {{kPoolLabelKey, "colossus-1"}};
  const kube::AdmissionResponse response = validate(pod);
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.message,
            "pod \"x\" in namespace \"acme\" selects pool \"colossus-1\" (spec.nodeSelector "
            "landlord.dev/pool), leased to tenant \"beta\" (lease \"beta-colossus-1\"); a pod of "
            "tenant \"alpha\" may select only pools its tenant leases");
}

TEST_F(PodValidationTest, NodeSelectorOnOwnOrFreePoolIsAllowed) {
  for (const char* pool : {"colossus-2", "spare", "unknown"}) {
    json pod = acmePod();
    pod["spec"]["nodeSelector"] = {{kPoolLabelKey, pool}};
    EXPECT_TRUE(validate(pod).allowed) << pool;
  }
}

TEST_F(PodValidationTest, PodOfNoTenantMaySelectNoLeasedPool) {
  json pod = podObject("default", "y");
  pod["spec"]["nodeSelector"] = {{kPoolLabelKey, "colossus-2"}};
  expectDenied(validate(pod), {"leased to tenant \"alpha\" (lease \"alpha-colossus-2\")",
                               "its namespace belongs to no Tenant"});
}

TEST_F(PodValidationTest, RequiredAffinityOnlyToForeignPoolsIsDenied) {
  expectDenied(validate(requiringPools(acmePod(), {{"colossus-1"}})),
               {"requires node affinity landlord.dev/pool In pools that are all leased to other "
                "tenants: \"colossus-1\" to tenant \"beta\" (lease \"beta-colossus-1\")"});
  leases_.put(leaseObject("beta-spare", "spare", "beta", "Provisioning"));
  expectDenied(validate(requiringPools(acmePod(), {{"colossus-1"}, {"spare"}})),
               {"\"spare\" to tenant \"beta\" (lease \"beta-spare\")"});
}

TEST_F(PodValidationTest, RequiredAffinityReachingAnyPoolNotForeignIsAllowed) {
  EXPECT_TRUE(validate(requiringPools(acmePod(), {{"colossus-1", "colossus-2"}})).allowed);
  EXPECT_TRUE(validate(requiringPools(acmePod(), {{"colossus-1"}, {"spare"}})).allowed);
  json unconfined = requiringPools(acmePod(), {{"colossus-1"}});
  unconfined["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
            ["nodeSelectorTerms"]
                .push_back(
                    {{"matchExpressions",
                      json::array({{{"key", "zone"}, {"operator", "In"}, {"values", {"a"}}}})}});
  EXPECT_TRUE(validate(unconfined).allowed);
}

TEST_F(PodValidationTest, APendingLeaseDoesNotMakeAPoolForeign) {
  leases_.put(leaseObject("beta-spare", "spare", "beta", "Pending"));
  json pod = acmePod();
  pod["spec"]["nodeSelector"] = {{kPoolLabelKey, "spare"}};
  EXPECT_TRUE(validate(pod).allowed);
}

TEST_F(PodValidationTest, TheClaimDecidesWhoHoldsAPoolMidHandover) {
  // alpha's lease has handed colossus-2 to gamma's: the claim moved before the phases.
  tenants_.put(tenantObject("gamma", {"gamma-ns"}));
  leases_.put(
      leaseObject("gamma-colossus-2", "colossus-2", "gamma", "Pending", "alpha-colossus-2"));
  putPool("colossus-2", "gamma-colossus-2", "gamma");
  json pod = acmePod();
  pod["spec"]["nodeSelector"] = {{kPoolLabelKey, "colossus-2"}};
  expectDenied(validate(pod), {"leased to tenant \"gamma\" (lease \"gamma-colossus-2\")"});
}

TEST_F(PodValidationTest, EveryViolationIsReported) {
  json pod = withToleration(acmePod(), tenantToleration("beta"));
  pod["spec"]["nodeName"] = "c1-n1";
  const kube::AdmissionResponse response = validate(pod);
  expectDenied(response, {"tolerates the taint",
                          "; also, pod \"x\" in namespace \"acme\" sets "
                          "spec.nodeName"});
}

TEST_F(PodValidationTest, GenerateNamedPodsAreNamedByTheirPrefix) {
  json pod = withToleration(acmePod(), tenantToleration("beta"));
  pod["metadata"].erase("name");
  pod["metadata"]["generateName"] = "worker-";
  expectDenied(validate(pod), {"pod \"worker-*\" in namespace \"acme\""});
}

TEST_F(PodValidationTest, TheHandoverHoldTaintMayNotBeTolerated) {
  const kube::AdmissionResponse response =
      validate(withToleration(acmePod(), holdToleration("Exists")));
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.code, 403);
  EXPECT_EQ(response.message,
            "pod \"x\" in namespace \"acme\" tolerates the taint landlord.dev/handover with "
            "operator Exists (spec.tolerations), which landlord puts on a node while it changes "
            "hands between tenants; only landlord's own pods may tolerate it");
  // By value, of any effect, and for a pod of no tenant: the key alone decides.
  expectDenied(validate(withToleration(acmePod(), holdToleration("Equal", "alpha"))),
               {"tolerates the taint landlord.dev/handover=alpha:NoSchedule (spec.tolerations)"});
  expectDenied(validate(withToleration(acmePod(), holdToleration("Exists", "", "NoExecute"))),
               {"landlord.dev/handover with operator Exists"});
  expectDenied(validate(withToleration(podObject("monitoring", "probe"), holdToleration("Exists"))),
               {"pod \"probe\" in namespace \"monitoring\" tolerates the taint "
                "landlord.dev/handover"});
}

TEST_F(PodValidationTest, TolerateEverythingIsRefusedOnceAsEveryTaint) {
  // The empty key tolerates the hold taint too; one violation says so for both.
  const kube::AdmissionResponse response =
      validate(withToleration(acmePod(), {{"operator", "Exists"}}));
  expectDenied(response, {"tolerates every taint"});
  EXPECT_EQ(response.message.find("; also, "), std::string::npos) << response.message;
}

TEST_F(PodValidationTest, NodeAgentsMayTolerateTheHoldTaintAsTheyMayEveryTaint) {
  json agent = withToleration(podObject("monitoring", "dcgm-x"), holdToleration("Exists"));
  agent["metadata"]["ownerReferences"] =
      json::array({{{"kind", "DaemonSet"}, {"name", "dcgm"}, {"controller", true}}});
  EXPECT_TRUE(validate(agent).allowed);
}

TEST_F(PodValidationTest, TheGatedPodUpdateAttackIsRefusedWithTheCreateMessage) {
  // Created gated and harmless, then pointed at beta's pool with beta's toleration.
  const json before = gated(acmePod());
  ASSERT_TRUE(validate(before).allowed);
  json after = withToleration(before, tenantToleration("beta"));
  after["spec"]["nodeSelector"] = {{kPoolLabelKey, "colossus-1"}};
  const kube::AdmissionResponse update = validateUpdate(before, after);
  expectDenied(update, {"tolerates the taint landlord.dev/tenant=beta:NoSchedule",
                        "; also, pod \"x\" in namespace \"acme\" selects pool \"colossus-1\" "
                        "(spec.nodeSelector landlord.dev/pool)"});
  EXPECT_EQ(update.message, validate(after).message);
}

TEST_F(PodValidationTest, AnUpdateSettingAForeignPoolWhileGatedIsRefused) {
  json before = gated(acmePod());
  before["spec"]["nodeSelector"] = {{"zone", "a"}};
  json selecting = before;
  selecting["spec"]["nodeSelector"][kPoolLabelKey] = "colossus-1";
  expectDenied(validateUpdate(before, selecting),
               {"selects pool \"colossus-1\" (spec.nodeSelector landlord.dev/pool), leased to "
                "tenant \"beta\""});
  expectDenied(validateUpdate(before, requiringPools(before, {{"colossus-1"}})),
               {"requires node affinity landlord.dev/pool In pools that are all leased to other "
                "tenants: \"colossus-1\""});
  EXPECT_TRUE(validateUpdate(before, requiringPools(before, {{"colossus-2"}})).allowed);
}

TEST_F(PodValidationTest, AnUpdateAddingTheOwnTenantsTolerationIsAllowed) {
  const json before = gated(acmePod());
  json after = withToleration(before, tenantToleration("alpha"));
  after["spec"]["nodeSelector"] = {{kPoolLabelKey, "colossus-2"}};
  EXPECT_TRUE(validateUpdate(before, after).allowed);
}

TEST_F(PodValidationTest, AnUpdateAddingTheHoldTolerationIsRefused) {
  const json before = acmePod();
  expectDenied(validateUpdate(before, withToleration(before, holdToleration("Exists"))),
               {"tolerates the taint landlord.dev/handover with operator Exists"});
}

TEST_F(PodValidationTest, AnUpdateNotTouchingSchedulingIsAllowedOnAPodTheCreateRulesRefuse) {
  // Admitted before beta leased colossus-1 (or before these rules): its labels,
  // annotations and status may still change.
  json before = withToleration(acmePod(), tenantToleration("beta"));
  before["spec"]["nodeSelector"] = {{kPoolLabelKey, "colossus-1"}};
  before["spec"]["nodeName"] = "c1-n1";
  ASSERT_FALSE(validate(before).allowed);
  json after = before;
  after["metadata"]["labels"]["version"] = "2";
  after["status"] = {{"phase", "Running"}};
  EXPECT_TRUE(validateUpdate(before, after).allowed);
}

TEST_F(PodValidationTest, OnlyTheTolerationsAnUpdateAddsAreJudged) {
  const json before = withToleration(acmePod(), tenantToleration("beta"));
  EXPECT_TRUE(validateUpdate(before, withToleration(before, tenantToleration("alpha"))).allowed);
  const kube::AdmissionResponse response =
      validateUpdate(before, withToleration(before, tenantToleration("gamma")));
  expectDenied(response, {"landlord.dev/tenant=gamma:NoSchedule"});
  EXPECT_EQ(response.message.find("tenant=beta"), std::string::npos) << response.message;
}

TEST_F(PodValidationTest, AnUpdateWithoutItsOldObjectIsABadRequest) {
  const json pod = withToleration(acmePod(), tenantToleration("beta"));
  const kube::AdmissionResponse response = validateUpdate(nullptr, pod);
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.code, 400);
  EXPECT_NE(response.message.find("request.oldObject"), std::string::npos) << response.message;
}

TEST_F(PodValidationTest, OnlyPodCreatesAndUpdatesAreValidated) {
  kube::AdmissionRequest request = podCreate(withToleration(acmePod(), tenantToleration("beta")));
  request.operation = "DELETE";
  request.oldObject = request.object;
  EXPECT_TRUE(validatePod(caches(), request).allowed);
  request.operation = "CONNECT";
  EXPECT_TRUE(validatePod(caches(), request).allowed);
}

}  // namespace
}  // namespace landlord::controllers::testing
