#include "admission_fixture.h"

namespace landlord::controllers::testing {
namespace {

class PodValidationTest : public AdmissionWorld {
 protected:
  kube::AdmissionResponse validate(const json& pod) const {
    return validatePod(caches(), podCreate(pod));
  }

  static json acmePod() { return podObject("acme", "x"); }

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

TEST_F(PodValidationTest, OnlyPodCreatesAreValidated) {
  kube::AdmissionRequest request = podCreate(withToleration(acmePod(), tenantToleration("beta")));
  request.operation = "UPDATE";
  EXPECT_TRUE(validatePod(caches(), request).allowed);
}

}  // namespace
}  // namespace landlord::controllers::testing
