#include "landlord/controllers/leases/poollease_reconciler.h"

#include <algorithm>
#include <optional>
#include <set>

#include "fixture.h"
#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/controllers/metrics.h"
#include "landlord/controllers/ownership/node_ownership_reconciler.h"
#include "landlord/controllers/pools/gpupool_reconciler.h"

namespace landlord::controllers::testing {
namespace {

using Kind = kube::Result::Kind;

class PoolLeaseReconcilerTest : public World {
 protected:
  void SetUp() override {
    add(kube::resources::nodes(), node("n1", "c1", "NVIDIA-H100-80GB-HBM3", 8));
    add(kube::resources::nodes(), node("n2", "c1", "NVIDIA-H100-80GB-HBM3", 8));
    add(api::gpuPools(), pool("c1", "c1"));
    add(api::tenants(), tenant("owner", {"owner-ns"}));
    add(api::tenants(), tenant("lessee", {"lessee-ns"}));
    // The fake deletes an evicted pod at once; this plays a PodDisruptionBudget
    // refusing to let the protected pods go.
    fake_.setRequestHook([this](const std::string& verb, const kube::ResourceRef& resource,
                                std::string_view ns, std::string_view name) {
      if (verb == "create" && resource.resource == "pods" &&
          protected_.contains(kube::objectKey(ns, name))) {
        throw kube::TooManyRequestsError(kube::RequestContext{"fake", "POST", "eviction"},
                                         kube::Status{429,
                                                      "TooManyRequests",
                                                      "Cannot evict pod as it would violate the "
                                                      "pod's disruption budget.",
                                                      "",
                                                      "",
                                                      {},
                                                      {}});
      }
    });
    poolReconciler_.emplace(deps());
    reconcile(*poolReconciler_, "", "c1");
  }

  // One pass of every controller over every lease and node.
  void pass(PoolLeaseReconciler& leases, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      try {
        reconcile(leases, "", name);
      } catch (const kube::ConflictError&) {
        // retried on the next pass, as the controller's backoff would
      }
    }
    reconcileNodes();
    reconcile(*poolReconciler_, "", "c1");
  }

  void reconcileNodes() {
    for (const char* n : {"n1", "n2"}) {
      try {
        reconcile(*nodeOwners_, "", n);
      } catch (const kube::ConflictError&) {
      }
    }
  }

  bool held(const std::string& name) {
    for (const json& t : nodeObject(name)["spec"].value("taints", json::array())) {
      if (t["key"] == "landlord.dev/handover") {
        return true;
      }
    }
    return false;
  }

  void passes(PoolLeaseReconciler& leases, const std::vector<std::string>& names, int count) {
    for (int i = 0; i < count; ++i) {
      pass(leases, names);
    }
  }

  std::string phase(const std::string& name) {
    return get(api::poolLeases(), "", name)["status"].value("phase", "");
  }

  json nodeObject(const std::string& name) { return get(kube::resources::nodes(), "", name); }

  static std::vector<json> tenantTaints(const json& node) {
    std::vector<json> out;
    for (const json& t : node["spec"].value("taints", json::array())) {
      if (t["key"] == "landlord.dev/tenant") {
        out.push_back(t);
      }
    }
    return out;
  }

  void expectHeldBy(const std::string& tenantName) {
    for (const char* n : {"n1", "n2"}) {
      const json object = nodeObject(n);
      EXPECT_EQ(object["metadata"]["labels"].value("landlord.dev/tenant", ""), tenantName) << n;
      const auto taints = tenantTaints(object);
      ASSERT_EQ(taints.size(), 1u) << n;
      EXPECT_EQ(taints[0]["value"], tenantName) << n;
      EXPECT_EQ(taints[0]["effect"], "NoSchedule") << n;
      EXPECT_FALSE(object["spec"].value("unschedulable", false)) << n;
      EXPECT_FALSE(held(n)) << n;
    }
  }

  std::set<std::string> protected_;
  std::optional<GpuPoolReconciler> poolReconciler_;
  PoolLeaseReconciler leases_{deps()};
  std::optional<NodeOwnershipReconciler> nodeOwners_{std::in_place, deps()};
};

TEST_F(PoolLeaseReconcilerTest, FreshLeaseClaimsProvisionsAndEarns) {
  add(api::poolLeases(), lease("own", "c1", "owner", "training"));
  passes(leases_, {"own"}, 6);
  EXPECT_EQ(phase("own"), "Active");
  expectHeldBy("owner");
  const json pool = get(api::gpuPools(), "", "c1");
  EXPECT_EQ(pool["status"]["lease"]["name"], "own");
  EXPECT_EQ(pool["status"]["lease"]["tenant"], "owner");
  EXPECT_EQ(pool["status"]["leaseGeneration"], 1);
  EXPECT_EQ(pool["status"]["phase"], "Leased");
  const json status = get(api::poolLeases(), "", "own")["status"];
  EXPECT_EQ(status["claimGeneration"], 1);
  EXPECT_EQ(status["gpus"], 16);
  EXPECT_EQ(status["hourlyRate"], "35.20");             // 16 × 2.20
  EXPECT_EQ(status["annualisedRevenue"], "308352.00");  // × 8,760
  EXPECT_EQ(findCondition(status, "Ready")->status, "True");
  EXPECT_EQ(findCondition(status, "PoolClaimed")->status, "True");
  EXPECT_EQ(status["progress"]["step"], "Done");
  const json lease = get(api::poolLeases(), "", "own");
  EXPECT_EQ(lease["metadata"]["finalizers"], json({std::string(api::kLeaseFinalizer)}));
}

TEST_F(PoolLeaseReconcilerTest, SecondLeaseWithoutSupersedesWaitsAndSaysWhy) {
  add(api::poolLeases(), lease("own", "c1", "owner"));
  passes(leases_, {"own"}, 6);
  add(api::poolLeases(), lease("intruder", "c1", "lessee"));
  passes(leases_, {"own", "intruder"}, 3);
  EXPECT_EQ(phase("intruder"), "Pending");
  const auto claimed =
      findCondition(get(api::poolLeases(), "", "intruder")["status"], "PoolClaimed");
  EXPECT_EQ(claimed->status, "False");
  EXPECT_EQ(claimed->reason, "PoolLeased");
  EXPECT_NE(claimed->message.find("held by lease own"), std::string::npos);
  EXPECT_EQ(phase("own"), "Active");
  expectHeldBy("owner");
}

TEST_F(PoolLeaseReconcilerTest, TwoReplicasRacingForAFreePoolOnlyOneWins) {
  add(api::poolLeases(), lease("a", "c1", "owner"));
  add(api::poolLeases(), lease("b", "c1", "lessee"));
  // Replica 2 claims the pool for lease a between replica 1's read of the pool and
  // its claim write for lease b.
  bool raced = false;
  fake_.setRequestHook([&](const std::string& verb, const kube::ResourceRef& resource,
                           std::string_view, std::string_view) {
    if (verb == "update" && resource.resource == "gpupools" && !raced) {
      raced = true;
      writeClaim(fake_, api::decode<api::GpuPool>(get(api::gpuPools(), "", "c1")),
                 api::decode<api::PoolLease>(get(api::poolLeases(), "", "a")),
                 "2026-01-01T00:00:00Z");
    }
  });
  EXPECT_THROW(reconcile(leases_, "", "b"), kube::ConflictError);
  EXPECT_EQ(claimOf(get(api::gpuPools(), "", "c1"))->lease, "a");
  reconcile(leases_, "", "b");
  EXPECT_EQ(phase("b"), "Pending");
  EXPECT_EQ(claimOf(get(api::gpuPools(), "", "c1"))->lease, "a");
  EXPECT_EQ(get(api::gpuPools(), "", "c1")["status"]["leaseGeneration"], 1);
}

class HandoverTest : public PoolLeaseReconcilerTest {
 protected:
  void SetUp() override {
    PoolLeaseReconcilerTest::SetUp();
    add(api::poolLeases(), lease("own", "c1", "owner", "training"));
    passes(leases_, {"own"}, 6);
    ASSERT_EQ(phase("own"), "Active");
    add(kube::resources::pods(), pod("owner-ns", "train-0", "n1"), "owner-ns");
    add(kube::resources::pods(), pod("owner-ns", "train-1", "n2"), "owner-ns");
    add(kube::resources::pods(), pod("other-ns", "bystander", "n2"), "other-ns");
    add(api::poolLeases(), lease("next", "c1", "lessee", "inference", "own"));
  }

  std::size_t ownerPods() {
    std::size_t n = 0;
    for (const json& p : fake_.objects(kube::resources::pods())) {
      n += p["metadata"]["namespace"] == "owner-ns" ? 1 : 0;
    }
    return n;
  }
};

TEST_F(HandoverTest, OldTenantLeavesNewTenantArrives) {
  passes(leases_, {"own", "next"}, 12);
  EXPECT_EQ(phase("own"), "Released");
  EXPECT_EQ(phase("next"), "Active");
  EXPECT_EQ(ownerPods(), 0u);
  expectHeldBy("lessee");
  const json pool = get(api::gpuPools(), "", "c1");
  EXPECT_EQ(pool["status"]["lease"]["name"], "next");
  EXPECT_EQ(pool["status"]["leaseGeneration"], 2);
  EXPECT_FALSE(pool["status"].contains("handover"));
  EXPECT_EQ(pool["status"]["phase"], "Leased");
  // The bystander is not the outgoing tenant's: never evicted.
  EXPECT_NO_THROW(get(kube::resources::pods(), "other-ns", "bystander"));
  const json old = get(api::poolLeases(), "", "own")["status"];
  EXPECT_EQ(old["supersededBy"], "next");
  EXPECT_EQ(findCondition(old, "Drained")->status, "True");
  // A released lease earns nothing; the lessee's lease earns the pool's list rate.
  EXPECT_EQ(old["hourlyRate"], "0");
  EXPECT_EQ(old["annualisedRevenue"], "0");
  EXPECT_EQ(old["gpus"], 16);
  EXPECT_EQ(get(api::poolLeases(), "", "next")["status"]["hourlyRate"], "35.20");
  bool evictCounted = false;
  for (const json& step : old["progress"]["steps"]) {
    if (step["name"] == "Evict") {
      evictCounted = step["total"] == 2 && step["completed"] == 2;
    }
  }
  EXPECT_TRUE(evictCounted) << old["progress"].dump();
}

TEST_F(HandoverTest, HandoverDurationIsObservedOnceWhenTheActiveWriteIsRetried) {
  PoolLeaseReconciler leases(depsWithMetrics());
  // Once the lessee holds every node, its next three status writes conflict (as
  // when a GPUPool or lease event raced the pass): the passes saying Active retry.
  int conflicts = 0;
  fake_.setRequestHook([&](const std::string& verb, const kube::ResourceRef& resource,
                           std::string_view, std::string_view name) {
    if (verb != "update" || resource.resource != "poolleases" || name != "next" || conflicts == 3) {
      return;
    }
    for (const char* n : {"n1", "n2"}) {
      const json object = fake_.get(kube::resources::nodes(), "", n);
      if (object["metadata"]["labels"].value("landlord.dev/tenant", "") != "lessee" || held(n)) {
        return;
      }
    }
    ++conflicts;
    throw kube::ConflictError(
        kube::RequestContext{"fake", "PUT", "next"},
        kube::Status{409, "Conflict", "the object has been modified", "", "", {}, {}});
  });
  passes(leases, {"own", "next"}, 16);
  ASSERT_EQ(conflicts, 3);
  ASSERT_EQ(phase("next"), "Active");
  EXPECT_NE(scrape().find("landlord_handover_duration_seconds_count 1\n"), std::string::npos)
      << scrape();
}

TEST_F(HandoverTest, ADeletedLeasesRevenueSeriesGoesAndItsSuccessorsStays) {
  PoolLeaseReconciler leases(depsWithMetrics());
  passes(leases, {"own", "next"}, 12);
  ASSERT_EQ(phase("next"), "Active");
  ASSERT_NE(
      scrape().find(R"(landlord_lease_hourly_revenue_usd{lease="own",pool="c1",tenant="owner"} 0)"),
      std::string::npos)
      << scrape();

  // Deleting it marks it; its finalizer goes on the first pass, the object
  // with it, and the next pass finds it gone.
  fake_.remove(api::poolLeases(), "", "own");
  passes(leases, {"own"}, 2);
  for (const json& lease : fake_.objects(api::poolLeases())) {
    ASSERT_NE(lease["metadata"]["name"], "own") << "not deleted yet";
  }
  EXPECT_EQ(scrape().find(R"(lease="own")"), std::string::npos) << scrape();
  EXPECT_EQ(scrape().find(R"(tenant="owner")"), std::string::npos) << scrape();
  EXPECT_NE(scrape().find(R"(lease="next",pool="c1",tenant="lessee"})"), std::string::npos)
      << scrape();
}

TEST_F(HandoverTest, NodesAreHeldBeforePodsAreEvicted) {
  reconcile(leases_, "", "own");
  EXPECT_EQ(phase("own"), "Releasing");
  EXPECT_EQ(ownerPods(), 2u);  // the lease writes no node and evicts nothing itself
  reconcileNodes();
  EXPECT_TRUE(held("n1"));
  EXPECT_TRUE(held("n2"));
  EXPECT_EQ(ownerPods(), 0u);
  // Each node's hold went out before its pods were evicted (the last POST for a
  // pod: the first was its creation).
  const std::vector<std::string>& requests = fake_.requests();
  const auto at = [&](const std::string& request) {
    return std::find(requests.rbegin(), requests.rend(), request).base() - requests.begin();
  };
  EXPECT_LT(at("patch nodes n1"), at("create pods owner-ns/train-0"));
  EXPECT_LT(at("patch nodes n2"), at("create pods owner-ns/train-1"));
  // An administrator's cordon is theirs: landlord never writes spec.unschedulable.
  EXPECT_FALSE(nodeObject("n1")["spec"].contains("unschedulable"));
}

TEST_F(HandoverTest, TwoWritesPerNode) {
  const std::size_t before = countRequests("patch nodes");
  passes(leases_, {"own", "next"}, 12);
  ASSERT_EQ(phase("next"), "Active");
  // The hold, then one write giving the node to the lessee and lifting the hold.
  EXPECT_EQ(countRequests("patch nodes") - before, 4u);
}

TEST_F(HandoverTest, RestartAtAnyPassFinishesTheHandover) {
  // A new reconciler per pass is a restarted operator: only the cluster remembers.
  for (int i = 0; i < 12; ++i) {
    PoolLeaseReconciler restarted(deps());
    nodeOwners_.emplace(deps());
    pass(restarted, {"next", "own"});
  }
  EXPECT_EQ(phase("own"), "Released");
  EXPECT_EQ(phase("next"), "Active");
  expectHeldBy("lessee");
}

TEST_F(HandoverTest, NodeWriteFailureSurfacesAsAnErrorNotACrash) {
  reconcile(leases_, "", "own");
  ASSERT_EQ(phase("own"), "Releasing");
  fake_.setRequestHook([](const std::string& verb, const kube::ResourceRef& resource,
                          std::string_view, std::string_view) {
    if (verb == "patch" && resource.resource == "nodes") {
      throw kube::TransportError(kube::RequestContext{"fake", "PATCH", "node"}, "refused");
    }
  });
  EXPECT_THROW(reconcile(*nodeOwners_, "", "n1"), kube::TransportError);
  EXPECT_FALSE(held("n1"));
  EXPECT_EQ(ownerPods(), 2u);  // nothing is evicted from a node that is not held
}

TEST_F(HandoverTest, CrashBetweenClaimTransferAndStatusWriteLosesNothing) {
  // The old lease's Released status write is lost once, after the claim moved on.
  bool dropped = false;
  fake_.setRequestHook([&](const std::string& verb, const kube::ResourceRef& resource,
                           std::string_view, std::string_view name) {
    if (verb == "update" && resource.resource == "poolleases" && name == "own" && !dropped &&
        claimOf(fake_.get(api::gpuPools(), "", "c1"))->lease == "next") {
      dropped = true;
      throw kube::TransportError(kube::RequestContext{"fake", "PUT", "own"}, "killed");
    }
  });
  for (int i = 0; i < 12; ++i) {
    for (const std::string name : {"own", "next"}) {
      try {
        reconcile(leases_, "", name);
      } catch (const kube::TransportError&) {
      } catch (const kube::ConflictError&) {
      }
    }
    reconcileNodes();
  }
  EXPECT_TRUE(dropped);
  EXPECT_EQ(phase("own"), "Released");
  EXPECT_EQ(phase("next"), "Active");
  expectHeldBy("lessee");
}

TEST_F(HandoverTest, DrainBlockedByBudgetFailsAtDeadlineThenForceFinishes) {
  protected_ = {"owner-ns/train-1"};
  passes(leases_, {"own", "next"}, 4);
  EXPECT_EQ(phase("own"), "Releasing");
  const auto drained = findCondition(get(api::poolLeases(), "", "own")["status"], "Drained");
  EXPECT_EQ(drained->reason, "BlockedByDisruptionBudget");
  EXPECT_EQ(ownerPods(), 1u);

  now_ += std::chrono::seconds(601);  // past the default 600 s drain timeout
  passes(leases_, {"own", "next"}, 2);
  EXPECT_EQ(phase("own"), "Failed");
  EXPECT_EQ(findCondition(get(api::poolLeases(), "", "own")["status"], "Drained")->reason,
            "DrainTimedOut");
  EXPECT_EQ(phase("next"), "Pending");  // the pool is still the owner's
  EXPECT_EQ(claimOf(get(api::gpuPools(), "", "c1"))->lease, "own");

  json old = get(api::poolLeases(), "", "own");
  old["spec"]["drain"] = {{"policy", "Force"}};
  fake_.update(api::poolLeases(), old);
  passes(leases_, {"own", "next"}, 12);
  EXPECT_EQ(ownerPods(), 0u);
  EXPECT_EQ(phase("own"), "Released");
  EXPECT_EQ(phase("next"), "Active");
  // The blocked pod was deleted (policy Force), the other one evicted once (the
  // eviction deleted it): its two POSTs are its creation and its eviction.
  EXPECT_EQ(countRequests("delete pods owner-ns/train-1"), 1u);
  EXPECT_EQ(countRequests("create pods owner-ns/train-0"), 2u);
  EXPECT_EQ(countRequests("delete pods owner-ns/train-0"), 0u);
  expectHeldBy("lessee");
}

TEST_F(PoolLeaseReconcilerTest, DeletingAnActiveLeaseReleasesItsNodesFirst) {
  add(api::poolLeases(), lease("own", "c1", "owner"));
  passes(leases_, {"own"}, 6);
  ASSERT_EQ(phase("own"), "Active");
  // The finalizer keeps the lease, marked for deletion, until its nodes are released.
  fake_.remove(api::poolLeases(), "", "own");
  pass(leases_, {"own"});
  EXPECT_EQ(phase("own"), "Releasing");
  passes(leases_, {"own"}, 8);
  EXPECT_THROW(get(api::poolLeases(), "", "own"), kube::NotFoundError);
  EXPECT_FALSE(claimOf(get(api::gpuPools(), "", "c1")).has_value());
  EXPECT_EQ(get(api::gpuPools(), "", "c1")["status"]["phase"], "Available");
  for (const char* n : {"n1", "n2"}) {
    const json object = nodeObject(n);
    EXPECT_FALSE(object["metadata"]["labels"].contains("landlord.dev/tenant")) << n;
    EXPECT_TRUE(tenantTaints(object).empty()) << n;
    EXPECT_FALSE(held(n)) << n;
  }
}

TEST_F(PoolLeaseReconcilerTest, LeaseOnMissingPoolSaysSo) {
  add(api::poolLeases(), lease("lost", "nowhere", "owner"));
  EXPECT_EQ(reconcile(leases_, "", "lost").kind(), Kind::requeueAfter);
  const json status = get(api::poolLeases(), "", "lost")["status"];
  EXPECT_EQ(status["phase"], "Pending");
  EXPECT_EQ(findCondition(status, "PoolClaimed")->reason, "PoolNotFound");
}

}  // namespace
}  // namespace landlord::controllers::testing
