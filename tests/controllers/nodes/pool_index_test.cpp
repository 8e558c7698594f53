#include "landlord/controllers/nodes/pool_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "fixture.h"
#include "landlord/placement/labels.h"

namespace landlord::controllers::testing {
namespace {

// The index against the full walk it replaces: after every event, each pool's
// summary, members and label work equal computeMembership + summarize over the
// same nodes and pools.
class PoolIndexTest : public ::testing::Test {
 protected:
  static NodePtr cached(const json& object) {
    return std::make_shared<const kube::Cached<NodeInfo>>(
        kube::Cached<NodeInfo>{kube::objectMetaOf(object), projectNode(object), {}});
  }

  void putNode(const json& object) {
    nodes_[object["metadata"]["name"]] = object;
    changed_ = index_.upsertNode(cached(object));
  }
  void dropNode(const std::string& name) {
    nodes_.erase(name);
    changed_ = index_.removeNode(name);
  }

  // Everything a pool's reconcile reads from the index, by pool name (known pools
  // and orphan label values alike).
  struct PoolView {
    std::optional<PoolSummary> summary;
    std::vector<std::string> members;
    std::vector<std::string> staleLabelled;
    bool operator==(const PoolView&) const = default;
  };
  std::map<std::string, PoolView> views() const {
    std::set<std::string> poolNames;
    for (const auto& [name, _] : pools_) {
      poolNames.insert(name);
    }
    for (const std::string& orphan : index_.orphanLabelledPools()) {
      poolNames.insert(orphan);
    }
    std::map<std::string, PoolView> out;
    for (const std::string& name : poolNames) {
      const PoolLabelWork work = index_.labelWork(name);
      out[name] =
          PoolView{index_.summary(name), names(index_.members(name)), names(work.staleLabelled)};
    }
    return out;
  }

  // Every pool whose view a node event changed is among those the event reported.
  void expectChangesReported(const std::map<std::string, PoolView>& before,
                             const std::string& when) {
    const std::map<std::string, PoolView> after = views();
    std::set<std::string> poolNames;
    for (const auto& [name, _] : before) {
      poolNames.insert(name);
    }
    for (const auto& [name, _] : after) {
      poolNames.insert(name);
    }
    for (const std::string& name : poolNames) {
      const auto was = before.find(name);
      const auto is = after.find(name);
      const bool differs = was == before.end() || is == after.end() || !(was->second == is->second);
      if (differs) {
        EXPECT_NE(std::find(changed_.begin(), changed_.end(), name), changed_.end())
            << name << " changed but was not reported " << when;
      }
    }
  }
  void putPool(const json& object) {
    pools_[object["metadata"]["name"]] = object;
    index_.upsertPool(api::decode<api::GpuPool>(object));
  }
  void dropPool(const std::string& name) {
    pools_.erase(name);
    index_.removePool(name);
  }

  void expectSameAsFullWalk(const std::string& when) {
    std::vector<api::GpuPool> pools;
    for (const auto& [_, pool] : pools_) {
      pools.push_back(api::decode<api::GpuPool>(pool));
    }
    std::vector<NodePtr> nodes;
    for (const auto& [_, node] : nodes_) {
      nodes.push_back(cached(node));
    }
    for (const auto& [name, _] : pools_) {
      const PoolMembership membership = computeMembership(name, pools, nodes);
      const std::optional<PoolSummary> summary = index_.summary(name);
      ASSERT_TRUE(summary) << when;
      EXPECT_EQ(*summary, summarize(membership, catalog_)) << name << " " << when;
      EXPECT_EQ(names(index_.members(name)), names(membership.members)) << name << " " << when;
      EXPECT_EQ(names(index_.labelWork(name).staleLabelled), names(membership.staleLabelled))
          << name << " " << when;
    }
    std::map<std::string, std::vector<std::string>> orphans;  // pool -> labelled nodes
    for (const auto& [name, object] : nodes_) {
      const std::string labelled =
          object["metadata"]["labels"].value(std::string(placement::kPoolLabel), "");
      if (!labelled.empty() && !pools_.contains(labelled)) {
        orphans[labelled].push_back(name);
      }
    }
    std::vector<std::string> orphanPools;
    for (const auto& [pool, labelledNodes] : orphans) {
      orphanPools.push_back(pool);
      const PoolLabelWork work = index_.labelWork(pool);
      EXPECT_EQ(names(work.staleLabelled), labelledNodes) << pool << " " << when;
    }
    EXPECT_EQ(index_.orphanLabelledPools(), orphanPools) << when;
  }

  static json labelled(json object, const std::string& pool) {
    object["metadata"]["labels"][std::string(placement::kPoolLabel)] = pool;
    return object;
  }

  static std::vector<std::string> names(const std::vector<NodePtr>& nodes) {
    std::vector<std::string> out;
    for (const NodePtr& node : nodes) {
      out.emplace_back(node->meta.name());
    }
    return out;
  }

  placement::Catalog catalog_ = placement::Catalog::defaults();
  PoolIndex index_{catalog_};
  std::map<std::string, json> nodes_;
  std::map<std::string, json> pools_;
  std::vector<std::string> changed_;  // what the last node event reported
};

TEST_F(PoolIndexTest, MatchesTheFullWalkThroughRandomNodeAndPoolEvents) {
  const std::vector<std::string> zones = {"c1", "c2", "c3"};
  const std::vector<std::string> products = {"NVIDIA-H100-80GB-HBM3", "NVIDIA-H200", "NVIDIA-GB200",
                                             "NVIDIA-X999", ""};
  putPool(pool("c1", "c1"));
  putPool(pool("c2", "c2"));
  json byProduct = pool("gb200", "any");
  byProduct["spec"]["nodeSelector"] = {
      {"matchLabels", {{"nvidia.com/gpu.product", "NVIDIA-GB200"}}}};
  putPool(byProduct);

  std::mt19937 random(7);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  for (int step = 0; step < 600; ++step) {
    const std::string name = "n" + std::to_string(pick(40));
    const std::size_t action = pick(20);
    const std::map<std::string, PoolView> before = views();
    changed_.clear();
    if (action < 12) {
      json object = node(name, zones[pick(zones.size())], products[pick(products.size())],
                         static_cast<int>(4 * (1 + pick(2))));
      if (pick(3) == 0) {  // labelled by some pool's controller, rightly or not
        object["metadata"]["labels"][std::string(placement::kPoolLabel)] =
            zones[pick(zones.size())];
      }
      if (pick(4) == 0) {
        object["spec"]["unschedulable"] = true;
      }
      if (pick(3) == 0) {  // a tenant's label and taint: no pool sees them
        object["metadata"]["labels"]["landlord.dev/tenant"] = "t" + std::to_string(pick(2));
        object["spec"]["taints"] = json::array(
            {{{"key", "landlord.dev/tenant"}, {"value", "t"}, {"effect", "NoSchedule"}}});
      }
      putNode(object);
      expectChangesReported(before, "after step " + std::to_string(step));
    } else if (action < 15) {
      dropNode(name);
      expectChangesReported(before, "after step " + std::to_string(step));
    } else if (action < 17) {
      json moved = pool(zones[pick(zones.size())], zones[pick(zones.size())]);
      if (pick(3) == 0) {
        moved["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
      }
      putPool(moved);
    } else if (action == 17 && pools_.size() > 1) {
      const std::string doomed =
          std::next(pools_.begin(), static_cast<long>(pick(pools_.size())))->first;
      dropPool(doomed);
    }
    expectSameAsFullWalk("after step " + std::to_string(step));
    if (HasFailure()) {
      return;
    }
  }
}

TEST_F(PoolIndexTest, NodeEventsReportOnlyThePoolsTheyChange) {
  putPool(pool("c1", "c1"));
  putPool(pool("c2", "c2"));
  json object = node("n1", "c1", "NVIDIA-H100-80GB-HBM3", 8);
  putNode(object);
  EXPECT_EQ(changed_, std::vector<std::string>{"c1"});
  object["metadata"]["labels"]["landlord.dev/tenant"] = "owner";
  object["spec"]["taints"] =
      json::array({{{"key", "landlord.dev/tenant"}, {"value", "owner"}, {"effect", "NoSchedule"}}});
  putNode(object);
  EXPECT_TRUE(changed_.empty()) << "a tenant label and taint change no pool";
  object["spec"]["unschedulable"] = true;
  putNode(object);
  EXPECT_EQ(changed_, std::vector<std::string>{"c1"}) << "cordoning changes the pool's figures";
  object["metadata"]["labels"]["landlord.dev/pool"] = "c1";
  object["metadata"]["labels"]["landlord.dev/gpu-model"] = "H100";
  putNode(object);
  EXPECT_EQ(changed_, std::vector<std::string>{"c1"}) << "its labels leave c1's label work";
  object["metadata"]["labels"]["topology.kubernetes.io/zone"] = "c2";
  putNode(object);
  EXPECT_EQ(changed_, (std::vector<std::string>{"c1", "c2"})) << "moved from c1 to c2";
  dropNode("n1");
  EXPECT_EQ(changed_, (std::vector<std::string>{"c1", "c2"})) << "member of c2, stale in c1";
}

TEST_F(PoolIndexTest, LabelWorkNamesOnlyNonMembersStillLabelledWithThePool) {
  putPool(pool("c1", "c1"));
  json labelled = node("right", "c1", "NVIDIA-GB200", 4);
  labelled["metadata"]["labels"]["landlord.dev/pool"] = "c1";
  labelled["metadata"]["labels"]["landlord.dev/gpu-model"] = "GB200";
  putNode(labelled);
  putNode(node("bare", "c1", "NVIDIA-GB200", 4));
  json wrongModel = labelled;
  wrongModel["metadata"]["name"] = "wrong-model";
  wrongModel["metadata"]["labels"]["landlord.dev/gpu-model"] = "H100";
  putNode(wrongModel);
  json left = labelled;
  left["metadata"]["name"] = "left";
  left["metadata"]["labels"]["topology.kubernetes.io/zone"] = "elsewhere";
  putNode(left);

  const PoolLabelWork work = index_.labelWork("c1");
  EXPECT_EQ(names(work.staleLabelled), (std::vector<std::string>{"left"}));
  EXPECT_FALSE(index_.summary("unknown-pool").has_value());
}

TEST_F(PoolIndexTest, RemovingAPoolOrphansTheNodesLabelledWithIt) {
  putPool(pool("c1", "c1"));
  putPool(pool("c2", "c2"));
  putNode(labelled(node("member", "c1", "NVIDIA-GB200", 4), "c1"));
  putNode(labelled(node("stale", "elsewhere", "NVIDIA-GB200", 4), "c1"));
  putNode(labelled(node("other", "c2", "NVIDIA-GB200", 4), "c2"));
  EXPECT_TRUE(index_.orphanLabelledPools().empty());

  dropPool("c1");
  EXPECT_EQ(index_.orphanLabelledPools(), (std::vector<std::string>{"c1"}));
  const PoolLabelWork work = index_.labelWork("c1");
  EXPECT_EQ(names(work.staleLabelled), (std::vector<std::string>{"member", "stale"}));
  EXPECT_TRUE(index_.labelWork("c2").staleLabelled.empty());
  expectSameAsFullWalk("after c1 was removed");
}

TEST_F(PoolIndexTest, OrphansLeaveWhenUnlabelledOrRemoved) {
  putNode(labelled(node("a", "c1", "NVIDIA-GB200", 4), "gone"));
  putNode(labelled(node("b", "c1", "NVIDIA-GB200", 4), "gone"));
  EXPECT_EQ(index_.orphanLabelledPools(), (std::vector<std::string>{"gone"}));

  putNode(node("a", "c1", "NVIDIA-GB200", 4));  // its labels taken back
  EXPECT_EQ(names(index_.labelWork("gone").staleLabelled), (std::vector<std::string>{"b"}));
  dropNode("b");
  EXPECT_TRUE(index_.orphanLabelledPools().empty());
  EXPECT_TRUE(index_.labelWork("gone").staleLabelled.empty());
}

TEST_F(PoolIndexTest, APoolOfTheOrphansNameAdoptsThem) {
  putNode(labelled(node("member", "c1", "NVIDIA-GB200", 4), "c1"));
  putNode(labelled(node("stale", "elsewhere", "NVIDIA-GB200", 4), "c1"));
  EXPECT_EQ(index_.orphanLabelledPools(), (std::vector<std::string>{"c1"}));

  putPool(pool("c1", "c1"));
  EXPECT_TRUE(index_.orphanLabelledPools().empty());
  EXPECT_EQ(names(index_.members("c1")), (std::vector<std::string>{"member"}));
  EXPECT_EQ(names(index_.labelWork("c1").staleLabelled), (std::vector<std::string>{"stale"}));
  expectSameAsFullWalk("after c1 came back");
}

TEST_F(PoolIndexTest, AnEmptyPoolLabelNamesNoOrphan) {
  putNode(labelled(node("blank", "c1", "NVIDIA-GB200", 4), ""));
  EXPECT_TRUE(index_.orphanLabelledPools().empty());
  EXPECT_TRUE(index_.labelWork("").staleLabelled.empty());
}

}  // namespace
}  // namespace landlord::controllers::testing
