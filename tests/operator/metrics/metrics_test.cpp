#include "landlord/operator/metrics/metrics.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <thread>

#include "../server/raw_http.h"
#include "landlord/operator/metrics/metrics_server.h"

namespace landlord::kube::metrics {
namespace {

TEST(MetricsTest, RegisteringAFamilyAgainReturnsTheSameFamily) {
  Registry registry;
  auto& first = prometheus::BuildCounter().Name("c_total").Help("C.").Register(registry);
  auto& again = prometheus::BuildCounter().Name("c_total").Help("C.").Register(registry);
  EXPECT_EQ(&first, &again);
  first.Add({{"a", "1"}}).Increment(2);
  again.Add({{"a", "1"}}).Increment();
  EXPECT_EQ(exposition(registry),
            "# HELP c_total C.\n# TYPE c_total counter\nc_total{a=\"1\"} 3\n");
  EXPECT_THROW(prometheus::BuildGauge().Name("c_total").Help("C.").Register(registry),
               std::invalid_argument);
  EXPECT_THROW(prometheus::BuildCounter().Name("bad-name").Help("X.").Register(registry),
               std::invalid_argument);
}

TEST(MetricsTest, ARemovedSeriesLeavesTheExposition) {
  Registry registry;
  auto& family = prometheus::BuildGauge().Name("pool_gpus").Help("G.").Register(registry);
  family.Add({{"pool", "a"}}).Set(8);
  auto& gone = family.Add({{"pool", "b"}});
  gone.Set(4);
  family.Remove(&gone);
  const std::string text = exposition(registry);
  EXPECT_NE(text.find("pool_gpus{pool=\"a\"} 8\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("pool=\"b\""), std::string::npos) << text;
}

TEST(MetricsTest, HistogramHasCumulativeBucketsSumAndCount) {
  Registry registry;
  auto& histogram = prometheus::BuildHistogram()
                        .Name("latency_seconds")
                        .Help("Latency.")
                        .Register(registry)
                        .Add({{"op", "read"}}, prometheus::Histogram::BucketBoundaries{0.1, 1, 10});
  histogram.Observe(0.05);
  histogram.Observe(0.1);  // an observation equal to a bound falls in that bucket
  histogram.Observe(5);
  histogram.Observe(100);
  EXPECT_EQ(exposition(registry),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_count{op=\"read\"} 4\n"
            "latency_seconds_sum{op=\"read\"} 105.15\n"
            "latency_seconds_bucket{op=\"read\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{op=\"read\",le=\"1\"} 2\n"
            "latency_seconds_bucket{op=\"read\",le=\"10\"} 3\n"
            "latency_seconds_bucket{op=\"read\",le=\"+Inf\"} 4\n");
}

TEST(MetricsTest, CollectHooksRunBeforeEachScrapeUntilUnregistered) {
  Registry registry;
  auto& gauge = prometheus::BuildGauge().Name("computed").Help("C.").Register(registry).Add({});
  int calls = 0;
  {
    auto hook = registry.onCollect([&] { gauge.Set(++calls); });
    EXPECT_NE(exposition(registry).find("computed 1\n"), std::string::npos);
    EXPECT_NE(exposition(registry).find("computed 2\n"), std::string::npos);
  }
  EXPECT_NE(exposition(registry).find("computed 2\n"), std::string::npos);
  EXPECT_EQ(calls, 2);
}

TEST(MetricsTest, ExponentialBuckets) {
  EXPECT_EQ(exponentialBuckets(1, 10, 3), (prometheus::Histogram::BucketBoundaries{1, 10, 100}));
  EXPECT_THROW(exponentialBuckets(0, 10, 3), std::invalid_argument);
  EXPECT_THROW(exponentialBuckets(1, 1, 3), std::invalid_argument);
  EXPECT_THROW(exponentialBuckets(1, 2, 0), std::invalid_argument);
}

Logger quietLogger() {
  return Logger(makeSpdlogLogger("t", LogFormat::text, spdlog::level::off));
}

// --metrics-bind-address: prometheus-cpp's Exposer, bound to port 0 in tests,
// reports the port it bound and serves the registry at /metrics.
TEST(MetricsServerTest, ServesTheRegistryOnItsBoundPort) {
  auto registry = std::make_shared<Registry>();
  prometheus::BuildCounter()
      .Name("things_total")
      .Help("Things.")
      .Register(*registry)
      .Add({})
      .Increment(3);
  MetricsServer server("127.0.0.1:0", registry, quietLogger());
  server.listen();
  const int port = server.port();
  ASSERT_GT(port, 0);
  std::jthread serving([&server](std::stop_token stop) { server.run(stop); });

  const testing::HttpReply response = testing::httpRequest(port, "/metrics");
  EXPECT_EQ(response.status, 200);
  // After prometheus-cpp's own exposer_* families.
  EXPECT_NE(response.body.find("\n# HELP things_total Things.\n# TYPE things_total counter\n"
                               "things_total 3\n"),
            std::string::npos)
      << response.body;
  EXPECT_EQ(testing::httpRequest(port, "/other").status, 404);
}

TEST(MetricsServerTest, PortOnlyAddressServesIpv4Loopback) {
  MetricsServer server(":0", std::make_shared<Registry>(), quietLogger());
  server.listen();
  ASSERT_GT(server.port(), 0);
  EXPECT_EQ(testing::httpRequest(server.port(), "/metrics").status, 200);
}

TEST(MetricsServerTest, BadAddressesFailWithTheAddressInTheMessage) {
  for (const char* address : {"8080", ":http", "256.0.0.1:0"}) {
    MetricsServer server(address, std::make_shared<Registry>(), quietLogger());
    try {
      server.listen();
      ADD_FAILURE() << address << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(address), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace landlord::kube::metrics
