#include "landlord/operator/metrics/metrics.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace landlord::kube::metrics {
namespace {

TEST(MetricsTest, CounterExpositionHasHelpTypeAndSortedSeries) {
  Registry registry;
  auto& family = registry.counter("requests_total", "Requests served.", {"code", "method"});
  family.withLabels({"500", "GET"}).inc();
  family.withLabels({"200", "GET"}).inc(2);
  EXPECT_EQ(registry.expose(),
            "# HELP requests_total Requests served.\n"
            "# TYPE requests_total counter\n"
            "requests_total{code=\"200\",method=\"GET\"} 2\n"
            "requests_total{code=\"500\",method=\"GET\"} 1\n");
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  Registry registry;
  registry.gauge("g", "line one\nback\\slash \"quoted\"", {"path"})
      .withLabels({"a\\b \"c\"\nd"})
      .set(-1.5);
  EXPECT_EQ(registry.expose(),
            "# HELP g line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE g gauge\n"
            "g{path=\"a\\\\b \\\"c\\\"\\nd\"} -1.5\n");
}

TEST(MetricsTest, HistogramHasCumulativeBucketsSumAndCount) {
  Registry registry;
  auto& h = registry.histogram("latency_seconds", "Latency.", {"op"}, {0.1, 1, 10});
  auto& child = h.withLabels({"read"});
  child.observe(0.05);
  child.observe(0.1);  // an observation equal to a bound falls in that bucket
  child.observe(5);
  child.observe(100);
  EXPECT_EQ(registry.expose(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{op=\"read\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{op=\"read\",le=\"1\"} 2\n"
            "latency_seconds_bucket{op=\"read\",le=\"10\"} 3\n"
            "latency_seconds_bucket{op=\"read\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{op=\"read\"} 105.15\n"
            "latency_seconds_count{op=\"read\"} 4\n");
}

TEST(MetricsTest, LabelLessFamiliesAlwaysExposedAndLabelledOnlyOnceUsed) {
  Registry registry;
  registry.counter("b_total", "B.");
  registry.gauge("a", "A.", {"x"});
  EXPECT_EQ(registry.expose(), "# HELP b_total B.\n# TYPE b_total counter\nb_total 0\n");
}

TEST(MetricsTest, FamiliesAreSortedByName) {
  Registry registry;
  registry.gauge("zeta", "Z.").unlabelled().set(1);
  registry.gauge("alpha", "A.").unlabelled().set(2);
  const std::string text = registry.expose();
  EXPECT_LT(text.find("alpha"), text.find("zeta"));
}

TEST(MetricsTest, FormatsSpecialValues) {
  EXPECT_EQ(formatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(formatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(formatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(formatValue(3), "3");
  EXPECT_EQ(formatValue(0.005), "0.005");
  EXPECT_EQ(formatValue(1e-08), "1e-08");
}

TEST(MetricsTest, ReRegisteringReturnsSameFamilyAndConflictsThrow) {
  Registry registry;
  auto& first = registry.counter("c_total", "C.", {"a"});
  EXPECT_EQ(&first, &registry.counter("c_total", "C.", {"a"}));
  EXPECT_THROW(registry.gauge("c_total", "C.", {"a"}), std::invalid_argument);
  EXPECT_THROW(registry.counter("c_total", "C.", {"b"}), std::invalid_argument);
  EXPECT_THROW(registry.counter("bad-name", "X."), std::invalid_argument);
  EXPECT_THROW(registry.counter("x_total", "X.", {"le"}), std::invalid_argument);
  EXPECT_THROW(first.withLabels({"1", "2"}), std::invalid_argument);
  EXPECT_THROW(first.withLabels({"1"}).inc(-1), std::invalid_argument);
}

TEST(MetricsTest, CollectHooksRunBeforeExpositionUntilUnregistered) {
  Registry registry;
  auto& gauge = registry.gauge("computed", "C.").unlabelled();
  int calls = 0;
  {
    auto hook = registry.onCollect([&] { gauge.set(++calls); });
    EXPECT_NE(registry.expose().find("computed 1\n"), std::string::npos);
  }
  EXPECT_NE(registry.expose().find("computed 1\n"), std::string::npos);
  EXPECT_EQ(calls, 1);
}

TEST(MetricsTest, ExponentialBuckets) {
  EXPECT_EQ(exponentialBuckets(1, 10, 3), (std::vector<double>{1, 10, 100}));
  EXPECT_THROW(exponentialBuckets(0, 10, 3), std::invalid_argument);
}

}  // namespace
}  // namespace landlord::kube::metrics
