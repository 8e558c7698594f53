#include "landlord/operator/client/events.h"

#include <gtest/gtest.h>

#include "landlord/testing/fake_client.h"

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class KubeEvents : public ::testing::Test {
 protected:
  KubeEvents() {
    EventRecorderOptions options;
    options.reportingController = "landlord.dev/operator";
    options.reportingInstance = "landlord-0";
    recorder = makeApiEventRecorder(fake, options, clock);
  }
  FakeClient fake;
  FakeClock clock;
  std::unique_ptr<EventRecorder> recorder;
  ObjectReference lease{"landlord.dev/v1alpha1", "PoolLease", "", "lease-1", "uid-9", "7"};
};

TEST_F(KubeEvents, FirstOccurrenceCreatesAnEventsV1Event) {
  recorder->record(lease, EventType::Normal, "Activated", "Provision", "pool colossus-1 is active");
  auto events = fake.objects(resources::events());
  ASSERT_EQ(events.size(), 1u);
  const json& event = events[0];
  EXPECT_EQ(event["metadata"]["namespace"], "default");  // cluster-scoped object
  EXPECT_EQ(event["metadata"]["name"].get<std::string>().rfind("lease-1.", 0), 0u);
  EXPECT_EQ(event["regarding"]["kind"], "PoolLease");
  EXPECT_EQ(event["regarding"]["uid"], "uid-9");
  EXPECT_EQ(event["reason"], "Activated");
  EXPECT_EQ(event["action"], "Provision");
  EXPECT_EQ(event["type"], "Normal");
  EXPECT_EQ(event["reportingController"], "landlord.dev/operator");
  EXPECT_EQ(event["reportingInstance"], "landlord-0");
  EXPECT_TRUE(event.contains("eventTime"));
  EXPECT_FALSE(event.contains("series"));
}

TEST_F(KubeEvents, RepeatsIncrementSeriesCountOnTheSameObject) {
  for (int i = 0; i < 4; ++i) {
    recorder->record(lease, EventType::Warning, "EvictionBlocked", "Drain", "PDB blocks web-0");
  }
  auto events = fake.objects(resources::events());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["series"]["count"], 4);
  EXPECT_TRUE(events[0]["series"].contains("lastObservedTime"));
}

TEST_F(KubeEvents, DifferentNotesOrObjectsAreSeparateEvents) {
  recorder->record(lease, EventType::Normal, "Activated", "Provision", "a");
  recorder->record(lease, EventType::Normal, "Activated", "Provision", "b");
  ObjectReference other = lease;
  other.name = "lease-2";
  other.uid = "uid-10";
  recorder->record(other, EventType::Normal, "Activated", "Provision", "a");
  EXPECT_EQ(fake.objects(resources::events()).size(), 3u);
}

TEST_F(KubeEvents, ASeriesOlderThanTheWindowStartsANewEvent) {
  recorder->record(lease, EventType::Normal, "Activated", "Provision", "x");
  clock.step(31min);
  recorder->record(lease, EventType::Normal, "Activated", "Provision", "x");
  EXPECT_EQ(fake.objects(resources::events()).size(), 2u);
}

TEST_F(KubeEvents, AnEventDeletedOnTheServerIsRecreated) {
  recorder->record(lease, EventType::Normal, "Activated", "Provision", "x");
  std::string name = fake.objects(resources::events())[0]["metadata"]["name"];
  fake.remove(resources::events(), "default", name);
  recorder->record(lease, EventType::Normal, "Activated", "Provision", "x");
  auto events = fake.objects(resources::events());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0]["metadata"]["name"], name);
}

TEST_F(KubeEvents, FailuresAreSwallowedNotThrown) {
  fake.setRequestHook(
      [](const std::string&, const ResourceRef&, std::string_view, std::string_view) {
        throw TransportError(RequestContext{"https://fake", "POST", "/"}, "connection refused");
      });
  EXPECT_NO_THROW(recorder->record(lease, EventType::Normal, "Activated", "Provision", "x"));
}

TEST_F(KubeEvents, AsyncRecorderDeliversEverythingBeforeDestruction) {
  {
    auto async = makeAsyncEventRecorder(std::move(recorder));
    for (int i = 0; i < 3; ++i) {
      async->record(lease, EventType::Normal, "Activated", "Provision", "x");
    }
  }
  auto events = fake.objects(resources::events());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["series"]["count"], 3);
}

TEST_F(KubeEvents, ReferenceToReadsIdentityFromTheObject) {
  ObjectReference ref =
      referenceTo({{"apiVersion", "v1"},
                   {"kind", "Pod"},
                   {"metadata", {{"name", "p"}, {"namespace", "t"}, {"uid", "u"}}}});
  EXPECT_EQ(
      ref.toJson(),
      (json{
          {"apiVersion", "v1"}, {"kind", "Pod"}, {"namespace", "t"}, {"name", "p"}, {"uid", "u"}}));
}

}  // namespace
}  // namespace landlord::kube
