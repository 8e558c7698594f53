#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cluster_fixture.h"
#include "landlord/operator/base/errors.h"
#include "repository_path.h"

namespace landlord::cli {
namespace {

using testing::FakeCluster;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Outcome;
using testing::repositoryPath;

// The lines of the fleet table: from the header to the TOTAL row.
std::vector<std::string> fleetTable(const std::string& report) {
  std::istringstream lines(report);
  std::vector<std::string> table;
  std::string line;
  bool inside = false;
  while (std::getline(lines, line)) {
    inside = inside || line.starts_with("POOL ");
    if (inside) {
      table.push_back(line);
    }
    if (line.starts_with("TOTAL")) {
      break;
    }
  }
  return table;
}

TEST(ClusterReportTest, FleetTableIsTheOfflineReportOfTheSameFleet) {
  FakeCluster cluster;
  cluster.addReferenceFleet();
  const Outcome live = cluster.run({"report"});
  ASSERT_EQ(live.exitCode, 0) << live.err;
  const Outcome file =
      cluster.run({"report", "--fleet", repositoryPath("e2e/fleets/reference-1-100.yaml")});
  ASSERT_EQ(file.exitCode, 0) << file.err;

  EXPECT_THAT(live.out, HasSubstr("Fleet test-cluster at list prices"));
  const std::vector<std::string> table = fleetTable(live.out);
  ASSERT_EQ(table.size(), 4u) << live.out;
  EXPECT_EQ(table, fleetTable(file.out));
  EXPECT_THAT(table[1], HasSubstr("$5,667.20"));
  EXPECT_EQ(live.err, "");  // the statuses agree with the catalog: no warning
}

TEST(ClusterReportTest, ListsEveryLeaseWithItsRevenueAndEveryTenant) {
  FakeCluster cluster;
  cluster.addReferenceFleet();
  const Outcome live = cluster.run({"report"});
  ASSERT_EQ(live.exitCode, 0) << live.err;
  EXPECT_THAT(live.out, HasSubstr("owner-colossus-1  colossus-1  owner"));
  EXPECT_THAT(live.out, HasSubstr("$5,667.20  $49,644,672"));
  EXPECT_THAT(live.out, HasSubstr("Lease revenue: $10,727.20 an hour, $93,970,272 a year"));
  EXPECT_THAT(live.out, HasSubstr("lessee-inference"));
}

TEST(ClusterReportTest, LeasesThatNoLongerHoldTheirPoolEarnNothing) {
  FakeCluster cluster;
  cluster.addReferenceFleet();
  nlohmann::json released = FakeCluster::activeStatus(300, 2200, "2.2", "999.00", "8751240.00");
  released["phase"] = "Released";
  cluster.addLease("older-colossus-1", "colossus-1", "owner", "training", "", released);
  const Outcome live = cluster.run({"report"});
  ASSERT_EQ(live.exitCode, 0) << live.err;
  EXPECT_THAT(live.out,
              HasSubstr("Released  -           2,200  $2.2000          -            -\n"));
  EXPECT_THAT(live.out, HasSubstr("Lease revenue: $10,727.20 an hour"));
}

TEST(ClusterReportTest, JsonCarriesPoolsLeasesAndTenants) {
  FakeCluster cluster;
  cluster.addReferenceFleet();
  const Outcome live = cluster.run({"report", "-o", "json"});
  ASSERT_EQ(live.exitCode, 0) << live.err;
  const auto report = nlohmann::json::parse(live.out);
  EXPECT_EQ(report["fleet"], "test-cluster");
  EXPECT_EQ(report["pools"][0]["name"], "colossus-1");
  EXPECT_EQ(report["pools"][0]["hourlyUsd"], "5667.20");
  EXPECT_EQ(report["pools"][0]["stragglerEfficiency"], "0.8800");
  EXPECT_EQ(report["pools"][1]["homogeneous"], true);
  EXPECT_EQ(report["leases"][1]["name"], "owner-colossus-2");
  EXPECT_EQ(report["leases"][1]["hourlyUsd"], "5060.00");
  EXPECT_EQ(report["leaseTotals"]["hourlyUsd"], "10727.20");
  EXPECT_EQ(report["tenants"][1]["name"], "owner");
}

TEST(ClusterReportTest, PoolWithoutStatusIsShownEmptyWithAWarning) {
  FakeCluster cluster;
  cluster.client().create(api::gpuPools(), "",
                          {{"metadata", {{"name", "fresh"}}}, {"spec", nlohmann::json::object()}});
  const Outcome live = cluster.run({"report"});
  ASSERT_EQ(live.exitCode, 0) << live.err;
  EXPECT_THAT(live.out, HasSubstr("fresh"));
  EXPECT_THAT(live.out, HasSubstr("No PoolLease exists"));
  EXPECT_THAT(live.err, HasSubstr("warning: pool fresh has no status yet"));
}

TEST(ClusterReportTest, CatalogThatDisagreesWithTheOperatorIsReported) {
  FakeCluster cluster;
  cluster.addPool(
      "odd", "", "",
      nlohmann::json::array({FakeCluster::model("X9", "future", 1, 8, "80", "80", "9")}), "80");
  const Outcome live = cluster.run({"report"});
  ASSERT_EQ(live.exitCode, 0) << live.err;
  EXPECT_THAT(live.out, HasSubstr("8 unknown"));
  EXPECT_THAT(live.err, HasSubstr("GPU model \"X9\" is not in this catalog"));
  EXPECT_THAT(live.err, HasSubstr("the operator counts 80 training H100-equivalents"));
}

TEST(ClusterReportTest, ApiErrorsSayWhatWasBeingDone) {
  FakeCluster cluster;
  cluster.client().setRequestHook([](const std::string& verb, const kube::ResourceRef& resource,
                                     std::string_view, std::string_view) {
    if (verb == "list" && resource.resource == "poolleases") {
      kube::Status status;
      status.code = 403;
      status.reason = "Forbidden";
      status.message = "poolleases.landlord.dev is forbidden: User \"alice\" cannot list";
      kube::throwApiError({"https://fake.invalid", "GET", "/apis/landlord.dev/v1alpha1/poolleases"},
                          status);
    }
  });
  const Outcome live = cluster.run({"report"});
  EXPECT_EQ(live.exitCode, 1);
  EXPECT_THAT(live.err, HasSubstr("landlord report: listing PoolLeases on https://fake.invalid: "
                                  "GET https://fake.invalid/apis/landlord.dev/v1alpha1/poolleases: "
                                  "403 Forbidden"));
}

TEST(ClusterReportTest, MissingCrdsAreNamedAsSuch) {
  FakeCluster cluster;
  cluster.client().setRequestHook([](const std::string& verb, const kube::ResourceRef&,
                                     std::string_view, std::string_view) {
    if (verb == "list") {
      kube::throwApiError({"https://fake.invalid", "GET", "/apis/landlord.dev/v1alpha1/gpupools"},
                          kube::decodeStatus(404, "404 page not found"));
    }
  });
  const Outcome live = cluster.run({"report"});
  EXPECT_EQ(live.exitCode, 1);
  EXPECT_THAT(live.err, HasSubstr("does not serve the landlord.dev API: install the CRDs"));
}

TEST(ClusterReportTest, UnusableKubeconfigIsACommandError) {
  CommandRegistry registry("landlord");
  addCommands(
      registry,
      ClusterAccess{.connect = [](const ClusterTarget& target) -> ClusterConnection {
                      throw kube::ConfigError("cannot read kubeconfig " + target.kubeconfig);
                    },
                    .pacer = {}});
  std::ostringstream out;
  std::ostringstream err;
  CommandIo io{out, err};
  EXPECT_EQ(registry.dispatch({"report", "--kubeconfig", "/nope"}, io), 1);
  EXPECT_EQ(err.str(), "landlord report: cannot reach a cluster: cannot read kubeconfig /nope\n");
}

TEST(ClusterReportTest, FleetFileAndClusterFlagsAreExclusive) {
  FakeCluster cluster;
  const Outcome mixed =
      cluster.run({"report", "--fleet", repositoryPath("e2e/fleets/reference-1-100.yaml"),
                   "--context", "prod"});
  EXPECT_EQ(mixed.exitCode, 2);
  EXPECT_THAT(mixed.err, HasSubstr("--context chooses a live cluster, --fleet a file instead"));
}

TEST(ClusterAdviseTest, AdvisesLeasingTheMixedPoolFromTheLiveCluster) {
  FakeCluster cluster;
  cluster.addReferenceFleet();
  const Outcome live = cluster.run({"advise", "-o", "json"});
  ASSERT_EQ(live.exitCode, 0) << live.err;
  const auto advice = nlohmann::json::parse(live.out);
  EXPECT_EQ(advice["pools"][0]["pool"], "colossus-1");
  EXPECT_EQ(advice["pools"][0]["recommendation"], "lease");
  EXPECT_EQ(advice["pools"][0]["keptHourlyUsd"], "4840.00");
  EXPECT_EQ(advice["pools"][1]["recommendation"], "keep");
  EXPECT_THAT(cluster.run({"advise"}).out, Not(HasSubstr("warning")));
}

}  // namespace
}  // namespace landlord::cli
