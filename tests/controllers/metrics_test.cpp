// landlord's domain series live as long as what they describe.
#include "landlord/controllers/metrics.h"

#include <gtest/gtest.h>

namespace landlord::controllers {
namespace {

class DomainMetricsTest : public ::testing::Test {
 protected:
  bool exposes(const std::string& line) const {
    return kube::metrics::exposition(registry_).find(line + "\n") != std::string::npos;
  }
  bool mentions(const std::string& text) const {
    return kube::metrics::exposition(registry_).find(text) != std::string::npos;
  }

  kube::metrics::Registry registry_;
  DomainMetrics metrics_{registry_};
};

TEST_F(DomainMetricsTest, AModelThePoolNoLongerHasLosesItsSeries) {
  metrics_.setPoolGpus("p1", {{"H100", 16}, {"A100", 8}});
  ASSERT_TRUE(exposes(R"(landlord_pool_gpus{model="A100",pool="p1"} 8)"));
  metrics_.setPoolGpus("p1", {{"H100", 24}});
  EXPECT_TRUE(exposes(R"(landlord_pool_gpus{model="H100",pool="p1"} 24)"));
  EXPECT_FALSE(mentions(R"(model="A100")"));
}

TEST_F(DomainMetricsTest, InformerEventsAreCountedByResourceAndKind) {
  const auto nodes = metrics_.informerEventCounter("nodes");
  nodes(kube::InformerEvent::Updated);
  nodes(kube::InformerEvent::Updated);
  nodes(kube::InformerEvent::Unchanged);
  EXPECT_TRUE(exposes(R"(landlord_informer_events_total{event="update",resource="nodes"} 2)"));
  EXPECT_TRUE(exposes(R"(landlord_informer_events_total{event="unchanged",resource="nodes"} 1)"));
  EXPECT_TRUE(exposes(R"(landlord_informer_events_total{event="add",resource="nodes"} 0)"));
}

TEST_F(DomainMetricsTest, ADeletedPoolLosesEverySeriesAndOnlyItsOwn) {
  metrics_.setPoolGpus("p1", {{"H100", 16}, {"A100", 8}});
  metrics_.setPoolLeasedGpus("p1", 24);
  metrics_.setPoolGpus("p2", {{"A100", 4}});
  metrics_.setPoolLeasedGpus("p2", 0);
  metrics_.forgetPool("p1");
  EXPECT_FALSE(mentions(R"(pool="p1")"));
  EXPECT_TRUE(exposes(R"(landlord_pool_gpus{model="A100",pool="p2"} 4)"));
  EXPECT_TRUE(exposes(R"(landlord_pool_leased_gpus{pool="p2"} 0)"));
  metrics_.forgetPool("p1");  // twice, or a pool never reported: nothing to do
  metrics_.forgetPool("never");
  // A pool of the same name created again reports afresh.
  metrics_.setPoolGpus("p1", {{"L4", 2}});
  EXPECT_TRUE(exposes(R"(landlord_pool_gpus{model="L4",pool="p1"} 2)"));
}

TEST_F(DomainMetricsTest, ALeaseHasOneSeriesWhicheverTenantAndPoolItLastNamed) {
  metrics_.setLeaseHourlyRevenue("l1", "acme", "p1", 120);
  metrics_.setLeaseHourlyRevenue("l1", "acme", "p2", 80);
  EXPECT_FALSE(mentions(R"(pool="p1")"));
  EXPECT_TRUE(
      exposes(R"(landlord_lease_hourly_revenue_usd{lease="l1",pool="p2",tenant="acme"} 80)"));
}

TEST_F(DomainMetricsTest, ADeletedLeaseTakesItsTenantsSeriesWithIt) {
  metrics_.setLeaseHourlyRevenue("l1", "acme", "p1", 120);
  metrics_.setLeaseHourlyRevenue("l2", "globex", "p2", 60);
  metrics_.forgetLease("l1");
  EXPECT_FALSE(mentions(R"(tenant="acme")"));
  EXPECT_TRUE(
      exposes(R"(landlord_lease_hourly_revenue_usd{lease="l2",pool="p2",tenant="globex"} 60)"));
}

}  // namespace
}  // namespace landlord::controllers
