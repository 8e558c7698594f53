// The typed client: decoded reads; status and finalizer writes conditional on the
// resourceVersion read, and no request at all when nothing changed.
#include "landlord/api/v1alpha1/client.h"

#include <gtest/gtest.h>

#include <set>

#include "landlord/api/v1alpha1/names.h"
#include "landlord/api/v1alpha1/resources.h"
#include "landlord/testing/fake_client.h"

namespace landlord::api::v1alpha1 {
namespace {

PoolClaim claim(const std::string& lease) {
  PoolClaim claim;
  claim.name = lease;
  claim.uid = "uid-" + lease;
  claim.tenant = "tenant-" + lease;
  claim.claimGeneration = 1;
  return claim;
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.create(gpuPools(), "",
                 {{"apiVersion", "landlord.dev/v1alpha1"},
                  {"kind", "GPUPool"},
                  {"metadata", {{"name", "c1"}, {"labels", {{"team", "ml"}}}}},
                  {"spec", {{"nodeSelector", {{"matchLabels", {{"zone", "c1"}}}}}}}});
    fake_.create(poolLeases(), "",
                 {{"apiVersion", "landlord.dev/v1alpha1"},
                  {"kind", "PoolLease"},
                  {"metadata", {{"name", "own"}}},
                  {"spec", {{"pool", "c1"}, {"tenant", "owner"}, {"purpose", "any"}}}});
  }

  GpuPool pool() { return decode<GpuPool>(fake_.get(gpuPools(), "", "c1")); }
  PoolLease lease() { return decode<PoolLease>(fake_.get(poolLeases(), "", "own")); }
  std::size_t requests() const { return fake_.requests().size(); }

  kube::FakeClient fake_;
};

TEST_F(ClientTest, ObjectsAreReadDecoded) {
  const PoolLease own = get<PoolLease>(fake_, "", "own");
  EXPECT_EQ(own.spec.pool, "c1");
  EXPECT_FALSE(own.metadata.uid.empty());
  EXPECT_THROW(get<PoolLease>(fake_, "", "gone"), kube::NotFoundError);
  fake_.create(poolLeases(), "",
               {{"metadata", {{"name", "other"}}},
                {"spec", {{"pool", "c2"}, {"tenant", "t"}, {"purpose", "any"}}}});
  const std::vector<PoolLease> leases = list<PoolLease>(fake_);
  ASSERT_EQ(leases.size(), 2u);
  std::set<std::string> pools{leases[0].spec.pool, leases[1].spec.pool};
  EXPECT_EQ(pools, (std::set<std::string>{"c1", "c2"}));
  EXPECT_TRUE(list<Placement>(fake_).empty());
}

TEST_F(ClientTest, AStatusIsWrittenWholeAndReadBack) {
  const GpuPool read = pool();
  GpuPoolStatus status = read.status;
  status.phase = "Leased";
  status.leaseGeneration = 1;
  status.lease = claim("own");
  const GpuPool written = writeStatus(fake_, read, status);
  EXPECT_EQ(written.status, status);
  EXPECT_NE(written.metadata.resourceVersion, read.metadata.resourceVersion);
  const json stored = fake_.get(gpuPools(), "", "c1");
  EXPECT_EQ(stored["status"]["lease"]["name"], "own");
  EXPECT_EQ(stored["status"]["leaseGeneration"], 1);
  // The rest of the object is as it was.
  EXPECT_EQ(stored["metadata"]["labels"]["team"], "ml");
  EXPECT_EQ(stored["spec"]["nodeSelector"]["matchLabels"]["zone"], "c1");
}

TEST_F(ClientTest, AnUnchangedStatusIsNotWritten) {
  const GpuPool read = pool();
  const std::size_t before = requests();
  EXPECT_EQ(writeStatus(fake_, read, read.status), read);
  EXPECT_EQ(requests(), before);
}

TEST_F(ClientTest, OfTwoWritersReadingTheSameVersionOnlyOneWins) {
  const GpuPool first = pool();
  const GpuPool second = pool();
  GpuPoolStatus a = first.status;
  a.lease = claim("a");
  GpuPoolStatus b = second.status;
  b.lease = claim("b");
  writeStatus(fake_, first, a);
  EXPECT_THROW(writeStatus(fake_, second, b), kube::ConflictError);
  EXPECT_EQ(pool().status.lease->name, "a");
}

TEST_F(ClientTest, EachKindsStatusIsWritten) {
  PoolLease read = lease();
  PoolLeaseStatus status;
  status.phase = "Pending";
  setCondition(status.conditions, {"Ready", "False", "PoolLeased", "held"}, 1, "t");
  const PoolLease written = writeStatus(fake_, read, status);
  EXPECT_EQ(written.status, status);
  EXPECT_EQ(fake_.get(poolLeases(), "", "own")["status"]["conditions"][0]["reason"], "PoolLeased");
}

TEST_F(ClientTest, FinalizersAreWrittenOnTheVersionRead) {
  const PoolLease read = lease();
  const PoolLease added = writeFinalizers(fake_, read, {std::string(kLeaseFinalizer)});
  EXPECT_EQ(added.metadata.finalizers, std::vector<std::string>{"landlord.dev/release-nodes"});
  EXPECT_THROW(writeFinalizers(fake_, read, {}), kube::ConflictError);
  EXPECT_TRUE(writeFinalizers(fake_, added, {}).metadata.finalizers.empty());
}

}  // namespace
}  // namespace landlord::api::v1alpha1
