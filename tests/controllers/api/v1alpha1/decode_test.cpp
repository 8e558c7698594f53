// Decoding of the four kinds: absent fields keep their defaults, a field of the
// wrong type is named with the reason and keeps its default, nothing throws.
#include <gtest/gtest.h>

#include "landlord/api/v1alpha1/gpupool.h"
#include "landlord/api/v1alpha1/placement.h"
#include "landlord/api/v1alpha1/poollease.h"
#include "landlord/api/v1alpha1/tenant.h"

namespace landlord::api::v1alpha1 {
namespace {

json leaseWithSpec(json spec) {
  return {{"apiVersion", "landlord.dev/v1alpha1"},
          {"kind", "PoolLease"},
          {"metadata", {{"name", "own"}, {"resourceVersion", "7"}}},
          {"spec", std::move(spec)}};
}

TEST(DecodeTest, AWrongTypeIsNamedWithTheFieldAndWhatWasThere) {
  const PoolLease lease = decode<PoolLease>(
      leaseWithSpec({{"pool", "c1"}, {"tenant", "acme"}, {"drain", {{"timeoutSeconds", "ten"}}}}));
  EXPECT_EQ(lease.invalid, FieldErrors{"PoolLease spec.drain.timeoutSeconds: expected an integer, "
                                       "got \"ten\""});
  EXPECT_FALSE(lease.spec.drain.timeoutSeconds.has_value());
  // The rest of the object decoded.
  EXPECT_EQ(lease.spec.pool, "c1");
  EXPECT_EQ(lease.spec.tenant, "acme");
  EXPECT_EQ(lease.metadata.resourceVersion, "7");
}

TEST(DecodeTest, AHalfReconciledObjectDecodesWithoutComplaint) {
  // Created a moment ago: no status yet, the optional spec fields left out.
  const PoolLease lease =
      decode<PoolLease>(leaseWithSpec({{"pool", "c1"}, {"tenant", "acme"}, {"purpose", "any"}}));
  EXPECT_TRUE(lease.invalid.empty());
  EXPECT_EQ(lease.status, PoolLeaseStatus{});
  EXPECT_FALSE(lease.status.gpus.has_value());
  EXPECT_TRUE(lease.spec.supersedes.empty());
  EXPECT_EQ(lease.spec.drain, DrainSpec{});
}

TEST(DecodeTest, NullIsAbsent) {
  json object = leaseWithSpec({{"pool", "c1"}, {"supersedes", nullptr}});
  object["status"] = nullptr;
  const PoolLease lease = decode<PoolLease>(object);
  EXPECT_TRUE(lease.invalid.empty());
  EXPECT_TRUE(lease.spec.supersedes.empty());
}

TEST(DecodeTest, ObjectsThatAreNotObjectsAreNamed) {
  const PoolLease notAnObject = decode<PoolLease>(json::array({1, 2}));
  EXPECT_EQ(notAnObject.invalid, FieldErrors{"PoolLease object: expected an object, got [1,2]"});
  const PoolLease drainIsText =
      decode<PoolLease>(leaseWithSpec({{"pool", "c1"}, {"drain", "Force"}}));
  EXPECT_EQ(drainIsText.invalid,
            FieldErrors{"PoolLease spec.drain: expected an object, got \"Force\""});
  EXPECT_EQ(drainIsText.spec.pool, "c1");
}

TEST(DecodeTest, GpuPoolFieldsAreNamedDownToTheListEntry) {
  const GpuPool pool = decode<GpuPool>(
      {{"metadata", {{"name", "c1"}}},
       {"spec",
        {{"nodeSelector", {{"matchLabels", {{"zone", "c1"}}}}},
         {"pricing", json::array({{{"model", "H100"}, {"ratePerGPUHour", 2.2}}})}}},
       {"status",
        {{"gpus", "20"},
         {"lease", {{"name", "own"}, {"claimGeneration", 1.5}}},
         {"composition", json::array({{{"model", "H100"}, {"gpus", 16}}, "H200"})}}}});
  EXPECT_EQ(pool.invalid,
            (FieldErrors{"GPUPool spec.pricing[0].ratePerGPUHour: expected a string, got 2.2",
                         "GPUPool status.gpus: expected an integer, got \"20\"",
                         "GPUPool status.composition[1]: expected an object, got \"H200\"",
                         "GPUPool status.lease.claimGeneration: expected an integer, got 1.5"}));
  EXPECT_FALSE(pool.status.gpus.has_value());
  ASSERT_TRUE(pool.status.composition.has_value());
  ASSERT_EQ(pool.status.composition->size(), 1u);  // the entry that is not one is left out
  EXPECT_EQ(pool.status.composition->front().gpus, 16);
  ASSERT_TRUE(pool.status.lease.has_value());
  EXPECT_EQ(pool.status.lease->name, "own");
  EXPECT_EQ(pool.spec.nodeSelector.matchLabels.at("zone"), "c1");
}

TEST(DecodeTest, ASelectorThatDoesNotDecodeSelectsNothing) {
  const GpuPool pool = decode<GpuPool>(
      {{"spec", {{"nodeSelector", {{"matchLabels", {{"zone", "c1"}, {"n", 5}}}}}}}});
  EXPECT_EQ(pool.invalid,
            FieldErrors{"GPUPool spec.nodeSelector.matchLabels.n: expected a string, got 5"});
  EXPECT_TRUE(pool.spec.nodeSelector.empty());
}

TEST(DecodeTest, TenantListsKeepTheEntriesThatDecode) {
  const Tenant tenant =
      decode<Tenant>({{"metadata", {{"name", "alpha"}}},
                      {"spec", {{"namespaces", {"acme", 3}}, {"qualifiedArchitectures", "hopper"}}},
                      {"status", {{"leases", json::array({{{"name", "a"}, {"gpus", "8"}}})}}}});
  EXPECT_EQ(tenant.invalid,
            (FieldErrors{"Tenant spec.namespaces[1]: expected a string, got 3",
                         "Tenant spec.qualifiedArchitectures: expected a list of strings, got "
                         "\"hopper\"",
                         "Tenant status.leases[0].gpus: expected an integer, got \"8\""}));
  EXPECT_EQ(tenant.spec.namespaces, std::vector<std::string>{"acme"});
  EXPECT_TRUE(tenant.spec.qualifiedArchitectures.empty());
  ASSERT_TRUE(tenant.status.leases.has_value());
  EXPECT_EQ(tenant.status.leases->front().name, "a");
}

TEST(DecodeTest, PlacementFieldsAreNamed) {
  const Placement placement = decode<Placement>(
      {{"metadata", {{"name", "train"}, {"namespace", "acme"}, {"generation", "2"}}},
       {"spec", {{"workloadType", "training"}, {"gpus", "8"}}},
       {"status",
        {{"phase", "Bound"},
         {"pools", json::array({{{"name", "c1"}, {"models", "H100"}}})},
         {"conditions", json::array({{{"type", "Placed"}, {"status", true}}})}}}});
  EXPECT_EQ(placement.invalid,
            (FieldErrors{"Placement metadata.generation: expected an integer, got \"2\"",
                         "Placement spec.gpus: expected an integer, got \"8\"",
                         "Placement status.pools[0].models: expected a list of strings, got "
                         "\"H100\"",
                         "Placement status.conditions[0].status: expected a string, got true"}));
  EXPECT_EQ(placement.metadata.key(), "acme/train");
  EXPECT_EQ(placement.spec.gpus, 0);
  ASSERT_EQ(placement.status.pools.size(), 1u);
  EXPECT_EQ(placement.status.pools[0].name, "c1");
  EXPECT_TRUE(placement.status.pools[0].models.empty());
  ASSERT_EQ(placement.status.conditions.size(), 1u);
  EXPECT_EQ(placement.status.conditions[0].type, "Placed");
}

TEST(DecodeTest, ALongWrongValueIsCut) {
  const std::string text(200, 'x');
  const Placement placement = decode<Placement>({{"spec", {{"gpus", text}}}});
  ASSERT_EQ(placement.invalid.size(), 1u);
  EXPECT_EQ(placement.invalid[0],
            "Placement spec.gpus: expected an integer, got \"" + std::string(39, 'x') + "...");
}

TEST(DecodeTest, RequireValidThrowsEveryFieldAtOnce) {
  const PoolLease valid = decode<PoolLease>(leaseWithSpec({{"pool", "c1"}}));
  EXPECT_NO_THROW(requireValid(valid));
  const PoolLease invalid =
      decode<PoolLease>(leaseWithSpec({{"pool", 1}, {"tenant", json::array()}}));
  try {
    requireValid(invalid);
    FAIL() << "no DecodeError";
  } catch (const DecodeError& error) {
    EXPECT_EQ(std::string(error.what()),
              "PoolLease spec.pool: expected a string, got 1; PoolLease spec.tenant: expected a "
              "string, got []");
    EXPECT_EQ(error.errors().size(), 2u);
  }
}

TEST(DecodeTest, MetadataAloneOfAnyObject) {
  const ObjectMeta metadata = decodeMetadata({{"metadata",
                                               {{"name", "n1"},
                                                {"labels", {{"a", "b"}}},
                                                {"deletionTimestamp", "2026-01-01T00:00:00Z"}}}});
  EXPECT_EQ(metadata.name, "n1");
  EXPECT_EQ(metadata.labels.at("a"), "b");
  EXPECT_TRUE(metadata.deleting());
  EXPECT_EQ(decodeMetadata(json("garbage")), ObjectMeta{});
}

}  // namespace
}  // namespace landlord::api::v1alpha1
