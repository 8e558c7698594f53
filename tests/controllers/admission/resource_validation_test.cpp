#include "admission_fixture.h"
#include "landlord/testing/fake_client.h"

namespace landlord::controllers::testing {
namespace {

class ResourceValidationTest : public AdmissionWorld {
 protected:
  kube::AdmissionResponse create(const std::string& kind, const json& object) const {
    return validateLandlordObject(caches(), landlordRequest("CREATE", kind, object));
  }

  kube::AdmissionResponse createLease(const std::string& name, const std::string& pool,
                                      const std::string& tenant,
                                      const std::string& supersedes = "") const {
    return create("PoolLease", leaseObject(name, pool, tenant, "", supersedes));
  }

  static json placementIn(const std::string& ns) {
    return {{"apiVersion", "landlord.dev/v1alpha1"},
            {"kind", "Placement"},
            {"metadata", {{"name", "serve"}, {"namespace", ns}}},
            {"spec", {{"workloadType", "inference"}, {"gpus", 8}}}};
  }

  static void expectDenied(const kube::AdmissionResponse& response,
                           const std::vector<std::string>& parts) {
    EXPECT_FALSE(response.allowed);
    EXPECT_EQ(response.code, 403);
    EXPECT_EQ(response.reason, "Forbidden");
    for (const std::string& part : parts) {
      EXPECT_NE(response.message.find(part), std::string::npos)
          << "'" << part << "' not in: " << response.message;
    }
  }
};

TEST_F(ResourceValidationTest, LeaseOnAFreePoolIsAllowed) {
  EXPECT_TRUE(createLease("beta-spare", "spare", "beta").allowed);
}

TEST_F(ResourceValidationTest, SecondLiveLeaseOnAPoolIsDeniedSayingHowToHandOver) {
  const kube::AdmissionResponse response = createLease("alpha-colossus-1", "colossus-1", "alpha");
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.code, 403);
  EXPECT_EQ(response.message,
            "spec.pool: pool \"colossus-1\" already has live lease \"beta-colossus-1\" (tenant "
            "\"beta\", phase Active); a pool is leased to one tenant at a time: set "
            "spec.supersedes: beta-colossus-1 to hand it over");
}

TEST_F(ResourceValidationTest, SupersedingTheLiveLeaseIsTheHandoverAndIsAllowed) {
  EXPECT_TRUE(createLease("alpha-colossus-1", "colossus-1", "alpha", "beta-colossus-1").allowed);
}

TEST_F(ResourceValidationTest, APendingLeaseCountsAsLive) {
  leases_.put(leaseObject("beta-spare", "spare", "beta", ""));
  expectDenied(createLease("alpha-spare", "spare", "alpha"),
               {"spec.pool", "live lease \"beta-spare\" (tenant \"beta\", phase Pending)"});
}

TEST_F(ResourceValidationTest, ReleasedAndFailedLeasesDoNotCount) {
  leases_.put(leaseObject("old-spare", "spare", "beta", "Released"));
  leases_.put(leaseObject("lost-spare", "spare", "beta", "Failed"));
  EXPECT_TRUE(createLease("alpha-spare", "spare", "alpha").allowed);
}

TEST_F(ResourceValidationTest, AFailedLeaseStillHoldingTheClaimCountsAsLive) {
  // A drain that timed out keeps the pool's claim and its nodes until Released.
  leases_.put(leaseObject("beta-colossus-1", "colossus-1", "beta", "Failed"));
  expectDenied(createLease("alpha-colossus-1", "colossus-1", "alpha"),
               {"live lease \"beta-colossus-1\" (tenant \"beta\", phase Failed)"});
}

TEST_F(ResourceValidationTest, OneHandoverAtATime) {
  leases_.put(leaseObject("alpha-colossus-1", "colossus-1", "alpha", "Pending", "beta-colossus-1"));
  expectDenied(createLease("gamma-colossus-1", "colossus-1", "beta", "beta-colossus-1"),
               {"spec.supersedes: lease \"beta-colossus-1\" is already superseded by lease "
                "\"alpha-colossus-1\" (tenant \"alpha\", phase Pending)",
                "set spec.supersedes: alpha-colossus-1"});
  // Without supersedes, the suggestion is the end of the handover chain.
  expectDenied(createLease("gamma-colossus-1", "colossus-1", "beta"),
               {"set spec.supersedes: alpha-colossus-1 to hand it over"});
  EXPECT_TRUE(createLease("gamma-colossus-1", "colossus-1", "beta", "alpha-colossus-1").allowed);
}

TEST_F(ResourceValidationTest, SupersedesMustNameAnExistingLeaseOfTheSamePool) {
  expectDenied(createLease("alpha-colossus-1", "colossus-1", "alpha", "nope"),
               {"spec.supersedes: PoolLease \"nope\" does not exist",
                "set spec.supersedes: beta-colossus-1"});
  expectDenied(createLease("alpha-colossus-1", "colossus-1", "alpha", "alpha-colossus-2"),
               {"spec.supersedes: lease \"alpha-colossus-2\" is on pool \"colossus-2\", not "
                "\"colossus-1\""});
}

TEST_F(ResourceValidationTest, SupersedingALeaseThatNoLongerHoldsThePoolIsDenied) {
  leases_.put(leaseObject("older", "colossus-1", "alpha", "Released"));
  expectDenied(createLease("alpha-colossus-1", "colossus-1", "alpha", "older"),
               {"spec.supersedes: lease \"older\" is Released and no longer holds pool "
                "\"colossus-1\"",
                "set spec.supersedes: beta-colossus-1"});
  leases_.put(leaseObject("older-spare", "spare", "alpha", "Released"));
  EXPECT_TRUE(createLease("alpha-spare", "spare", "alpha", "older-spare").allowed);
}

TEST_F(ResourceValidationTest, UnknownPoolOrTenantIsDeniedNamingTheField) {
  expectDenied(createLease("l", "colossus-9", "alpha"),
               {"spec.pool: GPUPool \"colossus-9\" does not exist",
                "\"colossus-1\", \"colossus-2\", \"spare\""});
  expectDenied(createLease("l", "spare", "delta"),
               {"spec.tenant: Tenant \"delta\" does not exist", "\"alpha\", \"beta\""});
}

// A pool, tenant and lease applied in one `kubectl apply`: the webhook's caches may
// not have the pool or tenant yet; the API server is asked before refusing.
TEST_F(ResourceValidationTest, PoolAndTenantTheCacheHasNotSeenAreReadFromTheServer) {
  kube::FakeClient server;
  server_ = &server;
  server.create(api::gpuPools(), "",
                {{"apiVersion", "landlord.dev/v1alpha1"},
                 {"kind", "GPUPool"},
                 {"metadata", {{"name", "colossus-9"}}},
                 {"spec", {{"nodeSelector", {{"matchLabels", {{"zone", "colossus-9"}}}}}}}});
  server.create(api::tenants(), "", tenantObject("delta", {"delta-ns"}));
  EXPECT_TRUE(createLease("delta-colossus-9", "colossus-9", "delta").allowed);
  // Exclusivity still holds for a pool read from the server.
  leases_.put(leaseObject("delta-colossus-9", "colossus-9", "delta", "Active"));
  expectDenied(createLease("alpha-colossus-9", "colossus-9", "alpha"),
               {"live lease \"delta-colossus-9\""});
  // Neither cached nor on the server: refused as before.
  expectDenied(createLease("l", "colossus-10", "alpha"),
               {"spec.pool: GPUPool \"colossus-10\" does not exist"});
}

TEST_F(ResourceValidationTest, SupersededLeaseTheCacheHasNotSeenIsReadFromTheServer) {
  kube::FakeClient server;
  server_ = &server;
  server.create(api::poolLeases(), "", leaseObject("alpha-spare", "spare", "alpha", ""));
  EXPECT_TRUE(createLease("beta-spare", "spare", "beta", "alpha-spare").allowed);
  server_ = nullptr;
  expectDenied(createLease("beta-spare", "spare", "beta", "alpha-spare"),
               {"spec.supersedes: PoolLease \"alpha-spare\" does not exist"});
}

TEST_F(ResourceValidationTest, PlacementInANamespaceOfATenantTheCacheHasNotSeenIsAllowed) {
  kube::FakeClient server;
  server_ = &server;
  server.create(api::tenants(), "", tenantObject("delta", {"delta-ns"}));
  EXPECT_TRUE(create("Placement", placementIn("delta-ns")).allowed);
  expectDenied(create("Placement", placementIn("nobodys")), {"belongs to no Tenant"});
}

TEST_F(ResourceValidationTest, LeaseUpdatesAndDeletesAreAllowed) {
  pools_.remove("colossus-1");
  const json lease = leaseObject("beta-colossus-1", "colossus-1", "beta", "Active");
  EXPECT_TRUE(validateLandlordObject(caches(), landlordRequest("UPDATE", "PoolLease", lease, lease))
                  .allowed);
  EXPECT_TRUE(
      validateLandlordObject(caches(), landlordRequest("DELETE", "PoolLease", nullptr, lease))
          .allowed);
}

TEST_F(ResourceValidationTest, DeletingALeasedPoolIsDeniedUntilItsLeaseIsGone) {
  auto deletePool = [this](const std::string& name) {
    const json pool = api::encode(pools_.get(name)->value);
    return validateLandlordObject(caches(), landlordRequest("DELETE", "GPUPool", nullptr, pool));
  };
  expectDenied(deletePool("colossus-1"),
               {"GPUPool \"colossus-1\" is held by lease \"beta-colossus-1\" (tenant \"beta\", "
                "phase Active)",
                "delete lease \"beta-colossus-1\" first"});
  EXPECT_TRUE(deletePool("spare").allowed);
  leases_.put(leaseObject("beta-colossus-1", "colossus-1", "beta", "Released"));
  EXPECT_TRUE(deletePool("colossus-1").allowed);
  leases_.remove("beta-colossus-1");
  EXPECT_TRUE(deletePool("colossus-1").allowed);  // a claim naming a lease long gone
}

TEST_F(ResourceValidationTest, ObjectsBeingDeletedAreAllowed) {
  json placement = placementIn("nobodys");
  placement["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  EXPECT_TRUE(
      validateLandlordObject(caches(), landlordRequest("UPDATE", "Placement", placement, placement))
          .allowed);
}

TEST_F(ResourceValidationTest, PlacementInATenantsNamespaceIsAllowed) {
  EXPECT_TRUE(create("Placement", placementIn("acme-dev")).allowed);
}

TEST_F(ResourceValidationTest, PlacementInAnUnownedNamespaceIsDeniedSayingHowToFix) {
  const kube::AdmissionResponse response = create("Placement", placementIn("nobodys"));
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.code, 403);
  EXPECT_EQ(response.message,
            "metadata.namespace: namespace \"nobodys\" belongs to no Tenant, and a Placement "
            "requests capacity for the tenant owning its namespace; add \"nobodys\" to a Tenant's "
            "spec.namespaces (Tenants: \"alpha\", \"beta\")");
  const json placement = placementIn("nobodys");
  EXPECT_FALSE(
      validateLandlordObject(caches(), landlordRequest("UPDATE", "Placement", placement, placement))
          .allowed);
  EXPECT_TRUE(
      validateLandlordObject(caches(), landlordRequest("DELETE", "Placement", nullptr, placement))
          .allowed);
}

TEST_F(ResourceValidationTest, NoTenantsYetSaysSo) {
  tenants_.remove("alpha");
  tenants_.remove("beta");
  expectDenied(create("Placement", placementIn("acme")), {"(Tenants: none exists yet)"});
}

TEST_F(ResourceValidationTest, TenantClaimingAnotherTenantsNamespaceIsDenied) {
  const kube::AdmissionResponse response =
      create("Tenant", tenantObject("gamma", {"gamma-ns", "beta-ns", "acme"}));
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.message,
            "spec.namespaces: already claimed: \"acme\" by tenant \"alpha\", \"beta-ns\" by tenant "
            "\"beta\"; a namespace belongs to one tenant, whose pods alone run on its pools: "
            "remove it from the other Tenant's spec.namespaces first");
  EXPECT_TRUE(create("Tenant", tenantObject("gamma", {"gamma-ns"})).allowed);
}

TEST_F(ResourceValidationTest, TenantUpdatesAreCheckedForAddedNamespacesOnly) {
  const json before = tenantObject("alpha", {"acme", "acme-dev"});
  EXPECT_TRUE(validateLandlordObject(
                  caches(),
                  landlordRequest("UPDATE", "Tenant",
                                  tenantObject("alpha", {"acme", "acme-dev", "acme-prod"}), before))
                  .allowed);
  expectDenied(validateLandlordObject(
                   caches(), landlordRequest("UPDATE", "Tenant",
                                             tenantObject("alpha", {"acme", "beta-ns"}), before)),
               {"\"beta-ns\" by tenant \"beta\""});
  // A clash made while the webhook was down does not block the edit resolving it.
  tenants_.put(tenantObject("beta", {"beta-ns", "acme"}));
  const json clashing = tenantObject("beta", {"beta-ns", "acme"});
  EXPECT_TRUE(validateLandlordObject(
                  caches(),
                  landlordRequest("UPDATE", "Tenant", tenantObject("beta", {"beta-ns"}), clashing))
                  .allowed);
}

TEST_F(ResourceValidationTest, OtherKindsAndGroupsAreAllowed) {
  EXPECT_TRUE(create("GPUPool", json{{"metadata", {{"name", "new-pool"}}}}).allowed);
  EXPECT_TRUE(create("Unknown", json{{"metadata", {{"name", "x"}}}}).allowed);
  kube::AdmissionRequest other =
      landlordRequest("CREATE", "PoolLease", leaseObject("x", "colossus-9", "nobody", ""));
  other.kind.group = "example.com";
  EXPECT_TRUE(validateLandlordObject(caches(), other).allowed);
}

TEST_F(ResourceValidationTest, AMissingObjectIsABadRequest) {
  const kube::AdmissionResponse response =
      validateLandlordObject(caches(), landlordRequest("CREATE", "PoolLease", nullptr));
  EXPECT_FALSE(response.allowed);
  EXPECT_EQ(response.code, 400);
}

// Lease terms, on the operator's clock (fixed here).
class LeaseTermValidationTest : public ResourceValidationTest {
 protected:
  static constexpr std::chrono::sys_seconds kNow{
      std::chrono::sys_days{std::chrono::year{2026} / std::chrono::December / std::chrono::day{1}}};

  AdmissionCaches clocked() const {
    AdmissionCaches c = caches();
    c.now = [] { return std::chrono::system_clock::time_point(kNow); };
    return c;
  }
  static std::string at(std::chrono::seconds offset) { return kube::formatTime(kNow + offset); }
  static json withTerm(json lease, const std::string& start, const std::string& end) {
    json term = {{"atEnd", "Release"}};
    if (!start.empty()) {
      term["start"] = start;
    }
    if (!end.empty()) {
      term["end"] = end;
    }
    lease["spec"]["term"] = term;
    return lease;
  }
  kube::AdmissionResponse createAt(const json& lease) const {
    return validateLandlordObject(clocked(), landlordRequest("CREATE", "PoolLease", lease));
  }
};

TEST_F(LeaseTermValidationTest, AStartInThePastIsDeniedNamingTheField) {
  using namespace std::chrono_literals;
  expectDenied(createAt(withTerm(leaseObject("late", "spare", "alpha", ""), at(-1h), "")),
               {"spec.term.start", at(-1h), "is in the past", at(0s)});
  // Within the tolerated skew it means "now".
  EXPECT_TRUE(createAt(withTerm(leaseObject("now", "spare", "alpha", ""), at(-30s), "")).allowed);
}

TEST_F(LeaseTermValidationTest, AnOverlappingTermIsDeniedNamingBothLeasesAndTheWindow) {
  using namespace std::chrono_literals;
  leases_.put(withTerm(leaseObject("beta-spare", "spare", "beta", "Active"), "", at(48h)));
  expectDenied(
      createAt(withTerm(leaseObject("alpha-spare", "spare", "alpha", ""), at(24h), at(72h))),
      {"spec.term", "lease alpha-spare", "lease beta-spare", "pool spare",
       at(24h) + " to " + at(48h)});
  EXPECT_TRUE(createAt(withTerm(leaseObject("alpha-spare", "spare", "alpha", ""), at(48h), at(72h)))
                  .allowed);
  EXPECT_TRUE(createAt(withTerm(leaseObject("alpha-spare", "spare", "alpha", "", "beta-spare"),
                                at(24h), ""))
                  .allowed);
}

TEST_F(LeaseTermValidationTest, ALeaseWithoutATermMayNotRunIntoAScheduledOne) {
  using namespace std::chrono_literals;
  leases_.put(withTerm(leaseObject("beta-spare", "spare", "beta", "Scheduled"), at(24h), ""));
  expectDenied(createAt(leaseObject("alpha-spare", "spare", "alpha", "")),
               {"spec.pool", "lease alpha-spare", "lease beta-spare", at(24h) + " to open-ended"});
}

TEST_F(LeaseTermValidationTest, ARenewalRunningIntoTheNextTermIsDenied) {
  using namespace std::chrono_literals;
  const json before = withTerm(leaseObject("beta-spare", "spare", "beta", "Active"), "", at(24h));
  leases_.put(before);
  leases_.put(withTerm(leaseObject("alpha-spare", "spare", "alpha", "Scheduled"), at(24h), ""));
  json renewed = before;
  renewed["spec"]["term"]["end"] = at(48h);
  expectDenied(
      validateLandlordObject(clocked(), landlordRequest("UPDATE", "PoolLease", renewed, before)),
      {"spec.term.end", "lease beta-spare", "lease alpha-spare"});
  json shortened = before;
  shortened["spec"]["term"]["end"] = at(12h);
  EXPECT_TRUE(
      validateLandlordObject(clocked(), landlordRequest("UPDATE", "PoolLease", shortened, before))
          .allowed);
}

}  // namespace
}  // namespace landlord::controllers::testing
