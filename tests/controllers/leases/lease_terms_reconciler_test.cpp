// Lease terms under the PoolLease controller with an injected clock: a scheduled
// handover starts by itself, a term ends by returning or releasing the pool exactly
// once, a renewal or early end is an Event, and double bookings wait.
#include <gtest/gtest.h>

#include "fixture.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/controllers/leases/poollease_reconciler.h"
#include "landlord/controllers/ownership/node_ownership_reconciler.h"
#include "landlord/controllers/pools/gpupool_reconciler.h"

namespace landlord::controllers::testing {
namespace {

using namespace std::chrono_literals;
using Kind = kube::Result::Kind;

class RecordedEvents final : public kube::EventRecorder {
 public:
  void record(const kube::ObjectReference& regarding, kube::EventType, const std::string& reason,
              const std::string&, const std::string& note) override {
    entries.push_back(regarding.name + " " + reason + ": " + note);
  }
  std::size_t count(const std::string& reason) const {
    std::size_t n = 0;
    for (const std::string& entry : entries) {
      n += entry.find(" " + reason + ":") != std::string::npos ? 1 : 0;
    }
    return n;
  }
  std::vector<std::string> entries;
};

class LeaseTermsTest : public World {
 protected:
  void SetUp() override {
    add(kube::resources::nodes(), node("n1", "c1", "NVIDIA-H100-80GB-HBM3", 8));
    add(kube::resources::nodes(), node("n2", "c1", "NVIDIA-H100-80GB-HBM3", 8));
    add(api::gpuPools(), pool("c1", "c1"));
    add(api::tenants(), tenant("owner", {"owner-ns"}));
    add(api::tenants(), tenant("lessee", {"lessee-ns"}));
    reconcile(pools_reconciler_, "", "c1");
  }

  Dependencies termDeps() {
    Dependencies d = depsWithMetrics();
    d.events = &events_;
    return d;
  }

  // Every lease, node and the pool, `count` times, as the work queues would.
  void settle(int count = 8) {
    for (int i = 0; i < count; ++i) {
      for (const json& object : fake_.objects(api::poolLeases())) {
        try {
          reconcile(leases_, "", object["metadata"]["name"]);
        } catch (const kube::ConflictError&) {
        }
      }
      for (const char* n : {"n1", "n2"}) {
        try {
          reconcile(nodeOwners_, "", n);
        } catch (const kube::ConflictError&) {
        }
      }
      reconcile(pools_reconciler_, "", "c1");
    }
  }

  static json termed(json lease, const std::string& start, const std::string& end,
                     const std::string& atEnd = "Release") {
    json term = {{"atEnd", atEnd}};
    if (!start.empty()) {
      term["start"] = start;
    }
    if (!end.empty()) {
      term["end"] = end;
    }
    lease["spec"]["term"] = term;
    return lease;
  }

  std::string at(std::chrono::system_clock::duration offset) const {
    return kube::formatTime(now_ + offset);
  }
  json status(const std::string& name) { return get(api::poolLeases(), "", name)["status"]; }
  std::string phase(const std::string& name) { return status(name).value("phase", ""); }
  std::string tenantOn(const std::string& node) {
    return get(kube::resources::nodes(), "", node)["metadata"]["labels"].value(
        "landlord.dev/tenant", "");
  }
  std::size_t leasesNamed(const std::string& name) {
    std::size_t n = 0;
    for (const json& object : fake_.objects(api::poolLeases())) {
      n += object["metadata"]["name"] == name ? 1 : 0;
    }
    return n;
  }

  RecordedEvents events_;
  GpuPoolReconciler pools_reconciler_{deps()};
  PoolLeaseReconciler leases_{termDeps()};
  NodeOwnershipReconciler nodeOwners_{deps()};
};

TEST_F(LeaseTermsTest, AScheduledHandoverWaitsThenStartsByItself) {
  add(api::poolLeases(), lease("own", "c1", "owner", "training"));
  settle();
  ASSERT_EQ(phase("own"), "Active");
  add(api::poolLeases(), termed(lease("next", "c1", "lessee", "inference", "own"), at(1h), ""));
  settle();
  EXPECT_EQ(phase("next"), "Scheduled");
  EXPECT_EQ(findCondition(status("next"), "Ready")->reason, "Scheduled");
  EXPECT_EQ(phase("own"), "Active");
  EXPECT_EQ(tenantOn("n1"), "owner");
  // Its timer is the lease's own start, read back from the cache on every pass.
  const kube::Result waiting = reconcile(leases_, "", "next");
  ASSERT_EQ(waiting.kind(), Kind::requeueAfter);
  EXPECT_GE(waiting.delay(), 1h);
  EXPECT_LE(waiting.delay(), 1h + 1s);

  now_ += 1h;
  settle(12);
  EXPECT_EQ(phase("next"), "Active");
  EXPECT_EQ(phase("own"), "Released");
  EXPECT_EQ(tenantOn("n1"), "lessee");
  EXPECT_EQ(tenantOn("n2"), "lessee");
}

TEST_F(LeaseTermsTest, AReturnTermHandsThePoolBackExactlyOnce) {
  json lessee = termed(lease("lessee-c1", "c1", "lessee"), "", at(2h), "Return");
  lessee["spec"]["term"]["returnTo"] = {{"tenant", "owner"}, {"purpose", "training"}};
  add(api::poolLeases(), lessee);
  settle();
  ASSERT_EQ(phase("lessee-c1"), "Active");
  const kube::Result untilEnd = reconcile(leases_, "", "lessee-c1");
  ASSERT_EQ(untilEnd.kind(), Kind::requeueAfter);
  EXPECT_LE(untilEnd.delay(), 2h + 1s);

  now_ += 2h;
  reconcile(leases_, "", "lessee-c1");
  ASSERT_EQ(leasesNamed("lessee-c1-return"), 1u);
  EXPECT_EQ(status("lessee-c1")["term"]["returnLease"], "lessee-c1-return");
  // A pass that died before its status write: the next finds the lease there.
  json lost = get(api::poolLeases(), "", "lessee-c1");
  lost["status"]["term"].erase("returnLease");
  fake_.update(api::poolLeases(), lost);
  reconcile(leases_, "", "lessee-c1");
  EXPECT_EQ(leasesNamed("lessee-c1-return"), 1u);

  settle(12);
  const json back = get(api::poolLeases(), "", "lessee-c1-return");
  EXPECT_EQ(back["spec"]["tenant"], "owner");
  EXPECT_EQ(back["spec"]["purpose"], "training");
  EXPECT_EQ(back["spec"]["supersedes"], "lessee-c1");
  EXPECT_EQ(phase("lessee-c1-return"), "Active");
  EXPECT_EQ(phase("lessee-c1"), "Released");
  EXPECT_EQ(tenantOn("n1"), "owner");
  EXPECT_EQ(tenantOn("n2"), "owner");
  EXPECT_EQ(events_.count("TermEnded"), 1u);
  EXPECT_EQ(leasesNamed("lessee-c1-return"), 1u);
}

TEST_F(LeaseTermsTest, AReleaseTermFreesThePoolAtItsEnd) {
  add(api::poolLeases(), termed(lease("short", "c1", "lessee"), "", at(30min)));
  settle();
  ASSERT_EQ(phase("short"), "Active");
  now_ += 29min;
  settle();
  EXPECT_EQ(phase("short"), "Active");
  now_ += 1min;
  settle(12);
  EXPECT_EQ(phase("short"), "Released");
  EXPECT_EQ(findCondition(status("short"), "Ready")->reason, "TermEnded");
  EXPECT_FALSE(claimOf(get(api::gpuPools(), "", "c1")));
  EXPECT_EQ(tenantOn("n1"), "");
  EXPECT_EQ(tenantOn("n2"), "");
}

TEST_F(LeaseTermsTest, AnEndWhoseStatusWriteIsLostStillEndsReleased) {
  add(api::poolLeases(), termed(lease("short", "c1", "lessee"), "", at(30min)));
  settle();
  ASSERT_EQ(phase("short"), "Active");
  // The Released status write is lost once, after the claim was dropped (on the
  // real API server: a 409 from a write racing it, or the operator killed).
  bool dropped = false;
  fake_.setRequestHook([&](const std::string& verb, const kube::ResourceRef& resource,
                           std::string_view, std::string_view name) {
    if (verb == "update" && resource.resource == "poolleases" && name == "short" && !dropped &&
        !claimOf(fake_.get(api::gpuPools(), "", "c1"))) {
      dropped = true;
      throw kube::TransportError(kube::RequestContext{"fake", "PUT", "short"}, "killed");
    }
  });
  now_ += 30min;
  for (int i = 0; i < 8; ++i) {
    try {
      reconcile(leases_, "", "short");
    } catch (const kube::TransportError&) {
    }
    settle(1);
  }
  EXPECT_TRUE(dropped);
  EXPECT_EQ(phase("short"), "Released");
  EXPECT_EQ(findCondition(status("short"), "Ready")->reason, "TermEnded");
  EXPECT_EQ(events_.count("ClaimLost"), 0u);
  EXPECT_EQ(tenantOn("n1"), "");
}

TEST_F(LeaseTermsTest, AFollowOnTermTakesThePoolWhenThePreviousEnds) {
  add(api::poolLeases(), termed(lease("first", "c1", "owner"), "", at(1h)));
  settle();
  add(api::poolLeases(), termed(lease("second", "c1", "lessee"), at(1h), at(3h)));
  settle();
  EXPECT_EQ(phase("first"), "Active");
  EXPECT_EQ(phase("second"), "Scheduled");
  now_ += 1h;
  settle(16);
  EXPECT_EQ(phase("first"), "Released");
  EXPECT_EQ(phase("second"), "Active");
  EXPECT_EQ(tenantOn("n1"), "lessee");
}

TEST_F(LeaseTermsTest, AnOverlappingTermWaitsAndNamesBothLeasesAndTheWindow) {
  add(api::poolLeases(), termed(lease("first", "c1", "owner"), "", at(2h)));
  settle();
  add(api::poolLeases(), termed(lease("second", "c1", "lessee"), at(1h), at(3h)));
  settle();
  EXPECT_EQ(phase("second"), "Pending");
  const auto ready = findCondition(status("second"), "Ready");
  EXPECT_EQ(ready->reason, "DoubleBooked");
  EXPECT_NE(ready->message.find("lease second"), std::string::npos) << ready->message;
  EXPECT_NE(ready->message.find("lease first"), std::string::npos) << ready->message;
  EXPECT_NE(ready->message.find(at(1h) + " to " + at(2h)), std::string::npos) << ready->message;
  EXPECT_EQ(phase("first"), "Active");
}

TEST_F(LeaseTermsTest, MovingTheEndRenewsOrEndsEarlyWithAnEvent) {
  add(api::poolLeases(), termed(lease("l", "c1", "lessee"), "", at(2h)));
  settle();
  ASSERT_EQ(phase("l"), "Active");
  json renewed = get(api::poolLeases(), "", "l");
  renewed["spec"]["term"]["end"] = at(5h);
  fake_.update(api::poolLeases(), renewed);
  settle();
  EXPECT_EQ(events_.count("TermRenewed"), 1u);
  now_ += 2h;
  settle();
  EXPECT_EQ(phase("l"), "Active");  // renewed past the old end

  json shortened = get(api::poolLeases(), "", "l");
  shortened["spec"]["term"]["end"] = at(-1s);
  fake_.update(api::poolLeases(), shortened);
  settle(12);
  EXPECT_EQ(events_.count("TermShortened"), 1u);
  EXPECT_EQ(phase("l"), "Released");
  EXPECT_EQ(tenantOn("n1"), "");
}

TEST_F(LeaseTermsTest, StatusAndMetricsCarryTheTermsMoney) {
  json l = termed(lease("l", "c1", "lessee"), "", at(10h));
  l["spec"]["ratePerGPUHour"] = "2.50";
  add(api::poolLeases(), l);
  settle();
  ASSERT_EQ(phase("l"), "Active");
  // 16 GPUs × $2.50 × 10 h from activation (now) to the end.
  EXPECT_EQ(status("l")["term"]["contractValue"], "400.00");
  now_ += 4h;
  reconcile(leases_, "", "l");
  EXPECT_EQ(status("l")["term"]["accruedRevenue"], "160.00");
  EXPECT_EQ(status("l")["term"]["remainingValue"], "240.00");
  const std::string metrics = scrape();
  EXPECT_NE(metrics.find(
                "landlord_lease_contract_value_usd{lease=\"l\",pool=\"c1\",tenant=\"lessee\"} 400"),
            std::string::npos)
      << metrics;
  EXPECT_NE(
      metrics.find(
          "landlord_lease_accrued_revenue_usd{lease=\"l\",pool=\"c1\",tenant=\"lessee\"} 160"),
      std::string::npos)
      << metrics;
}

TEST_F(LeaseTermsTest, AnActiveTermWritesItsStatusOnlyWhenTheAccruedFiguresMove) {
  add(api::poolLeases(), termed(lease("l", "c1", "lessee"), "", at(10h)));
  settle();
  ASSERT_EQ(phase("l"), "Active");
  // Its own status write wakes it again: that pass, seconds later, must not write.
  const std::size_t before = countRequests("update poolleases l");
  now_ += 7s;
  reconcile(leases_, "", "l");
  now_ += 30s;
  reconcile(leases_, "", "l");
  EXPECT_EQ(countRequests("update poolleases l"), before);
  now_ += 5min;
  reconcile(leases_, "", "l");
  EXPECT_EQ(countRequests("update poolleases l"), before + 1);
}

}  // namespace
}  // namespace landlord::controllers::testing
