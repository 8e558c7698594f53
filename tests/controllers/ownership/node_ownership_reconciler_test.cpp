// The node ownership controller: every path that changes who owns a node ends with
// the node carrying exactly its owner's marks and no other tenant's pods.
#include "landlord/controllers/ownership/node_ownership_reconciler.h"

#include "fixture.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/controllers/leases/poollease_reconciler.h"
#include "landlord/controllers/pools/gpupool_reconciler.h"

namespace landlord::controllers::testing {
namespace {

using Kind = kube::Result::Kind;

class NodeOwnershipTest : public World {
 protected:
  void SetUp() override {
    add(kube::resources::nodes(), node("a1", "c1", "NVIDIA-H100-80GB-HBM3", 8));
    add(kube::resources::nodes(), node("a2", "c1", "NVIDIA-GB200", 4));
    add(kube::resources::nodes(), node("z1", "c2", "NVIDIA-H100-80GB-HBM3", 8));
    add(api::gpuPools(), pool("c1", "c1"));
    add(api::gpuPools(), pool("c2", "c2"));
    add(api::tenants(), tenant("owner", {"owner-ns"}));
    add(api::tenants(), tenant("lessee", {"lessee-ns"}));
  }

  // Every controller over every object, `count` times, as the work queues would.
  void settle(int count = 8) {
    for (int i = 0; i < count; ++i) {
      for (const json& object : fake_.objects(api::poolLeases())) {
        tolerateConflict(leases_, object["metadata"]["name"]);
      }
      for (const json& object : fake_.objects(kube::resources::nodes())) {
        tolerateConflict(nodeOwners_, object["metadata"]["name"]);
      }
      for (const json& object : fake_.objects(api::gpuPools())) {
        tolerateConflict(pools_reconciler_, object["metadata"]["name"]);
      }
    }
  }

  void tolerateConflict(kube::Reconciler& reconciler, const std::string& name) {
    try {
      reconcile(reconciler, "", name);
    } catch (const kube::ConflictError&) {
    }
  }

  json nodeObject(const std::string& name) { return get(kube::resources::nodes(), "", name); }
  std::string label(const std::string& node, const std::string& key) {
    return nodeObject(node)["metadata"].value("labels", json::object()).value(key, "");
  }
  // "key=value:effect" of every landlord taint on the node.
  std::vector<std::string> landlordTaints(const std::string& node) {
    std::vector<std::string> out;
    for (const json& t : nodeObject(node)["spec"].value("taints", json::array())) {
      const std::string key = t["key"];
      if (key.starts_with("landlord.dev/")) {
        out.push_back(key + "=" + t.value("value", "") + ":" + t.value("effect", ""));
      }
    }
    return out;
  }
  void relabel(const std::string& node, const std::string& zone) {
    fake_.patch(kube::resources::nodes(), "", node, kube::PatchType::Merge,
                {{"metadata", {{"labels", {{"topology.kubernetes.io/zone", zone}}}}}});
  }
  bool exists(const kube::GroupVersionResource& resource, const std::string& ns,
              const std::string& name) {
    try {
      get(resource, ns, name);
      return true;
    } catch (const kube::NotFoundError&) {
      return false;
    }
  }
  std::string phase(const std::string& name) {
    return get(api::poolLeases(), "", name)["status"].value("phase", "");
  }

  void leaseC1To(const std::string& name, const std::string& tenantName) {
    add(api::poolLeases(), lease(name, "c1", tenantName));
    settle();
    ASSERT_EQ(phase(name), "Active");
  }

  PoolLeaseReconciler leases_{deps()};
  NodeOwnershipReconciler nodeOwners_{deps()};
  GpuPoolReconciler pools_reconciler_{deps()};
};

TEST_F(NodeOwnershipTest, MembersCarryTheirPoolAndModelAndNothingElse) {
  settle(2);
  EXPECT_EQ(label("a2", "landlord.dev/pool"), "c1");
  EXPECT_EQ(label("a2", "landlord.dev/gpu-model"), "GB200");
  EXPECT_EQ(label("z1", "landlord.dev/pool"), "c2");
  EXPECT_EQ(label("a1", "landlord.dev/tenant"), "");
  EXPECT_TRUE(landlordTaints("a1").empty());
  const std::size_t writes = countRequests("patch nodes");
  settle(2);
  EXPECT_EQ(countRequests("patch nodes"), writes) << "a converged node is not written again";
}

TEST_F(NodeOwnershipTest, ALeasedPoolsNodesAreTheTenantsInOneWriteEach) {
  settle(1);
  const std::size_t before = countRequests("patch nodes");
  leaseC1To("own", "owner");
  EXPECT_EQ(countRequests("patch nodes") - before, 2u);  // a1 and a2, once each
  for (const char* n : {"a1", "a2"}) {
    EXPECT_EQ(label(n, "landlord.dev/tenant"), "owner") << n;
    EXPECT_EQ(landlordTaints(n), std::vector<std::string>{"landlord.dev/tenant=owner:NoSchedule"})
        << n;
  }
  EXPECT_TRUE(landlordTaints("z1").empty());
  const json status = get(api::gpuPools(), "", "c1")["status"];
  EXPECT_EQ(status["ownership"]["owner"], "owner");
  EXPECT_EQ(status["ownership"]["converged"], 2);
  EXPECT_EQ(findCondition(status, "NodesConverged")->status, "True");
}

TEST_F(NodeOwnershipTest, ANodeRelabelledOutOfEveryPoolIsNobodys) {
  leaseC1To("own", "owner");
  add(kube::resources::pods(), pod("owner-ns", "train", "a1"), "owner-ns");
  relabel("a1", "nowhere");
  settle(2);
  EXPECT_EQ(label("a1", "landlord.dev/pool"), "");
  EXPECT_EQ(label("a1", "landlord.dev/gpu-model"), "");
  EXPECT_EQ(label("a1", "landlord.dev/tenant"), "");
  EXPECT_TRUE(landlordTaints("a1").empty());
  // Nobody's node: its former tenant's pod is not evicted (the lease is still Active).
  EXPECT_TRUE(exists(kube::resources::pods(), "owner-ns", "train"));
  EXPECT_EQ(label("a2", "landlord.dev/tenant"), "owner");
  EXPECT_EQ(phase("own"), "Active");
}

TEST_F(NodeOwnershipTest, ANodeMovedIntoAnotherTenantsPoolIsHeldDrainedThenGiven) {
  leaseC1To("own", "owner");
  add(api::poolLeases(), lease("other", "c2", "lessee"));
  settle();
  ASSERT_EQ(phase("other"), "Active");
  add(kube::resources::pods(), pod("owner-ns", "train", "a1"), "owner-ns");
  add(kube::resources::pods(), pod("kube-system", "dns", "a1"), "kube-system");
  add(kube::resources::pods(), pod("shared", "nobodys", "a1"), "shared");
  relabel("a1", "c2");

  reconcile(nodeOwners_, "", "a1");
  // Held (no new pod of anyone lands) with the owner's marks still on, its pod evicted.
  EXPECT_EQ(landlordTaints("a1"),
            (std::vector<std::string>{"landlord.dev/tenant=owner:NoSchedule",
                                      "landlord.dev/handover=c2:NoSchedule"}));
  EXPECT_FALSE(exists(kube::resources::pods(), "owner-ns", "train"));

  reconcile(nodeOwners_, "", "a1");
  EXPECT_EQ(label("a1", "landlord.dev/pool"), "c2");
  EXPECT_EQ(label("a1", "landlord.dev/tenant"), "lessee");
  EXPECT_EQ(landlordTaints("a1"),
            std::vector<std::string>{"landlord.dev/tenant=lessee:NoSchedule"});
  // System pods and pods of no tenant are nobody's to evict.
  EXPECT_TRUE(exists(kube::resources::pods(), "kube-system", "dns"));
  EXPECT_TRUE(exists(kube::resources::pods(), "shared", "nobodys"));
}

TEST_F(NodeOwnershipTest, ForeignPodsOnAnOwnedNodeAreEvicted) {
  leaseC1To("own", "owner");
  add(kube::resources::pods(), pod("lessee-ns", "sneaked-in", "a2"), "lessee-ns");
  add(kube::resources::pods(), pod("owner-ns", "mine", "a2"), "owner-ns");
  EXPECT_EQ(reconcile(nodeOwners_, "", "a2").kind(), Kind::requeueAfter);
  EXPECT_FALSE(exists(kube::resources::pods(), "lessee-ns", "sneaked-in"));
  EXPECT_TRUE(exists(kube::resources::pods(), "owner-ns", "mine"));
  EXPECT_EQ(reconcile(nodeOwners_, "", "a2").kind(), Kind::success);
}

TEST_F(NodeOwnershipTest, AnAdministratorsCordonIsNeverUndone) {
  fake_.patch(kube::resources::nodes(), "", "a1", kube::PatchType::Merge,
              {{"spec", {{"unschedulable", true}}}});
  leaseC1To("own", "owner");
  add(api::poolLeases(), lease("next", "c1", "lessee", "inference", "own"));
  settle(12);
  ASSERT_EQ(phase("next"), "Active");
  EXPECT_TRUE(nodeObject("a1")["spec"].value("unschedulable", false));
  EXPECT_FALSE(nodeObject("a2")["spec"].contains("unschedulable"));
}

TEST_F(NodeOwnershipTest, ADeletedPoolGoesOnlyOnceItsNodesCarryNoneOfItsMarks) {
  leaseC1To("own", "owner");
  fake_.remove(api::gpuPools(), "", "c1");
  ASSERT_TRUE(exists(api::gpuPools(), "", "c1")) << "the finalizer keeps it";
  EXPECT_EQ(reconcile(pools_reconciler_, "", "c1").kind(), Kind::requeueAfter);
  ASSERT_TRUE(exists(api::gpuPools(), "", "c1"));
  settle(3);
  EXPECT_FALSE(exists(api::gpuPools(), "", "c1"));
  for (const char* n : {"a1", "a2"}) {
    EXPECT_EQ(label(n, "landlord.dev/pool"), "") << n;
    EXPECT_EQ(label(n, "landlord.dev/tenant"), "") << n;
    EXPECT_TRUE(landlordTaints(n).empty()) << n;
  }
  EXPECT_EQ(label("z1", "landlord.dev/pool"), "c2");
  EXPECT_EQ(phase("own"), "Failed");
  EXPECT_EQ(findCondition(get(api::poolLeases(), "", "own")["status"], "Ready")->reason,
            "PoolDeleted");
}

TEST_F(NodeOwnershipTest, ADeletedTenantsPoolIsGivenUp) {
  leaseC1To("own", "owner");
  fake_.remove(api::tenants(), "", "owner");
  settle(3);
  EXPECT_EQ(phase("own"), "Failed");
  EXPECT_EQ(findCondition(get(api::poolLeases(), "", "own")["status"], "Ready")->reason,
            "TenantNotFound");
  EXPECT_FALSE(claimOf(get(api::gpuPools(), "", "c1")).has_value());
  for (const char* n : {"a1", "a2"}) {
    EXPECT_EQ(label(n, "landlord.dev/tenant"), "") << n;
    EXPECT_TRUE(landlordTaints(n).empty()) << n;
  }
}

TEST_F(NodeOwnershipTest, AWriteFromAStaleReadIsRefusedAndRetried) {
  settle(1);
  leaseC1To("own", "owner");
  add(api::poolLeases(), lease("next", "c1", "lessee", "inference", "own"));
  reconcile(leases_, "", "own");
  ASSERT_EQ(phase("own"), "Releasing");
  // Someone writes a1 between the cache's read and the hold.
  bool done = false;
  fake_.setRequestHook([&](const std::string& verb, const kube::ResourceRef& resource,
                           std::string_view, std::string_view name) {
    if (verb == "patch" && resource.resource == "nodes" && name == "a1" && !done) {
      done = true;
      fake_.patch(kube::resources::nodes(), "", "a1", kube::PatchType::Merge,
                  {{"spec", {{"unschedulable", true}}}});
    }
  });
  EXPECT_EQ(reconcile(nodeOwners_, "", "a1").kind(), Kind::requeue);
  EXPECT_TRUE(nodeObject("a1")["spec"].value("unschedulable", false));
  reconcile(nodeOwners_, "", "a1");
  EXPECT_EQ(landlordTaints("a1"),
            (std::vector<std::string>{"landlord.dev/tenant=owner:NoSchedule",
                                      "landlord.dev/handover=c1:NoSchedule"}));
  EXPECT_TRUE(nodeObject("a1")["spec"].value("unschedulable", false));
}

TEST_F(NodeOwnershipTest, APoolsProgressIsTheLedgersUntilItSaysSettledThenAWalksWord) {
  leaseC1To("own", "owner");
  sync();
  const Dependencies dependencies = deps();  // the view reads through it
  const OwnershipView view(dependencies);
  const PoolOwner owner = view.ownerOf(pools_.get("c1")->value);
  const std::uint64_t key = ownerKeyOf(owner);
  EXPECT_EQ(ownershipLedger_.counts("c1", key).converged, 2);
  EXPECT_TRUE(view.tally("c1", owner).settled());

  // The ledger behind (a1 not yet re-judged): the tally reports it, without a walk.
  NodeStanding behind = {.pool = "c1", .owner = key, .converged = false, .podsLeaving = 4};
  ownershipLedger_.record("a1", behind);
  const OwnershipTally fromLedger = view.tally("c1", owner);
  EXPECT_EQ(fromLedger.members, 2);
  EXPECT_EQ(fromLedger.converged, 1);
  EXPECT_EQ(fromLedger.podsLeaving, 4);
  EXPECT_FALSE(view.walk("c1", owner).podsLeaving > 0) << "the nodes themselves are converged";

  // The ledger ahead of the nodes (it says settled, a1 lost its taint): a walk decides.
  ownershipLedger_.record("a1", {.pool = "c1", .owner = key, .converged = true});
  fake_.patch(kube::resources::nodes(), "", "a1", kube::PatchType::Merge,
              {{"spec", {{"taints", json::array()}}}});
  sync();
  const OwnershipTally walked = OwnershipView(dependencies).tally("c1", owner);
  EXPECT_EQ(walked.members, 2);
  EXPECT_EQ(walked.converged, 1);
  EXPECT_FALSE(walked.settled());
}

TEST_F(NodeOwnershipTest, ANodeWakesItsPoolOnlyWhenItsStandingChangedAndSaysWhenThePoolSettled) {
  std::vector<std::pair<std::string, bool>> wakes;
  NodeOwnershipReconciler reporting{deps(), [&wakes](const std::string& pool, bool settled) {
                                      wakes.emplace_back(pool, settled);
                                    }};
  reconcile(reporting, "", "a1");
  reconcile(reporting, "", "a2");
  reconcile(reporting, "", "z1");
  // First standings: a1 is written its labels (not yet converged), then a2 likewise.
  ASSERT_EQ(wakes.size(), 3u);
  EXPECT_EQ(wakes[0], (std::pair<std::string, bool>{"c1", false}));
  wakes.clear();
  reconcile(reporting, "", "a1");  // now carries its labels: converged
  EXPECT_EQ(wakes, (std::vector<std::pair<std::string, bool>>{{"c1", false}}));
  reconcile(reporting, "", "a2");  // the last member of c1 to get there
  EXPECT_EQ(wakes, (std::vector<std::pair<std::string, bool>>{{"c1", false}, {"c1", true}}));
  wakes.clear();
  reconcile(reporting, "", "a1");
  reconcile(reporting, "", "a2");
  EXPECT_TRUE(wakes.empty()) << "nothing changed: no pool to wake";
}

TEST_F(NodeOwnershipTest, ADeletedNodeLeavesTheLedger) {
  settle(2);
  EXPECT_EQ(ownershipLedger_.size(), 3u);
  fake_.remove(kube::resources::nodes(), "", "a1");
  reconcile(nodeOwners_, "", "a1");
  EXPECT_EQ(ownershipLedger_.size(), 2u);
  relabel("a2", "nowhere");
  reconcile(nodeOwners_, "", "a2");
  EXPECT_EQ(ownershipLedger_.size(), 1u) << "a node in no pool has no standing";
}

}  // namespace
}  // namespace landlord::controllers::testing
