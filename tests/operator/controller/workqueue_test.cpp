#include "landlord/operator/controller/workqueue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <map>
#include <thread>
#include <vector>

#include "landlord/operator/metrics/metrics.h"

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<WorkQueue> newQueue(const Clock& clock, metrics::Registry* registry = nullptr) {
  WorkQueueOptions options;
  options.name = "test";
  options.clock = &clock;
  options.registry = registry;
  return makeWorkQueue(std::move(options));
}

// Spins (yielding, never sleeping) until `n` threads are parked on the clock.
void awaitClockWaiters(const FakeClock& clock, std::size_t n) {
  while (clock.waiters() < n) {
    std::this_thread::yield();
  }
}

TEST(WorkQueueTest, AddingAQueuedKeyQueuesItOnce) {
  FakeClock clock;
  auto queue = newQueue(clock);
  queue->add("a");
  queue->add("b");
  queue->add("a");
  EXPECT_EQ(queue->len(), 2u);
  EXPECT_EQ(queue->get(), "a");
  EXPECT_EQ(queue->get(), "b");
  EXPECT_EQ(queue->len(), 0u);
}

TEST(WorkQueueTest, KeyAddedWhileProcessingIsRequeuedOnlyAfterDone) {
  FakeClock clock;
  auto queue = newQueue(clock);
  queue->add("a");
  ASSERT_EQ(queue->get(), "a");
  queue->add("a");
  queue->add("a");
  queue->add("b");
  EXPECT_EQ(queue->len(), 1u);  // only b: a is held by a worker
  EXPECT_EQ(queue->get(), "b");
  queue->done("b");
  queue->done("a");
  EXPECT_EQ(queue->len(), 1u);
  EXPECT_EQ(queue->get(), "a");
  queue->done("a");
  EXPECT_EQ(queue->len(), 0u);
}

TEST(WorkQueueTest, DoneForAKeyNotProcessingIsAnInvariantViolation) {
  FakeClock clock;
  auto queue = newQueue(clock);
  EXPECT_THROW(queue->done("never-got"), std::logic_error);
}

TEST(WorkQueueTest, NeverTwoWorkersOnTheSameKey) {
  FakeClock clock;
  auto queue = newQueue(clock);
  constexpr int kWorkers = 8;
  constexpr int kKeys = 3;
  constexpr int kProcessings = 3000;
  std::map<std::string, std::atomic<int>> inFlight;
  for (int k = 0; k < kKeys; ++k) {
    inFlight["key-" + std::to_string(k)] = 0;
  }
  std::atomic<int> processed{0};
  std::atomic<int> overlaps{0};
  std::latch start(kWorkers + 1);
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&] {
      start.arrive_and_wait();
      while (auto key = queue->get()) {
        if (inFlight.at(*key).fetch_add(1) != 0) {
          ++overlaps;
        }
        // Re-adding while processing must not hand the key to another worker.
        queue->add(*key);
        inFlight.at(*key).fetch_sub(1);
        queue->done(*key);
        if (++processed >= kProcessings) {
          queue->shutDown();
        }
      }
    });
  }
  for (const auto& [key, count] : inFlight) {
    queue->add(key);
  }
  start.arrive_and_wait();
  for (auto& worker : workers) {
    worker.join();
  }
  EXPECT_GE(processed.load(), kProcessings);
  EXPECT_EQ(overlaps.load(), 0);
}

TEST(WorkQueueTest, AddAfterReleasesKeysInTimeOrder) {
  FakeClock clock;
  auto queue = newQueue(clock);
  queue->addAfter("late", 2s);
  queue->addAfter("early", 1s);
  queue->addAfter("early-too", 1s);
  EXPECT_EQ(queue->len(), 0u);
  clock.step(999ms);
  queue->add("now");
  EXPECT_EQ(queue->get(), "now");
  clock.step(1ms);
  EXPECT_EQ(queue->get(), "early");
  EXPECT_EQ(queue->get(), "early-too");
  EXPECT_EQ(queue->len(), 0u);
  clock.step(1s);
  EXPECT_EQ(queue->get(), "late");
}

TEST(WorkQueueTest, AddAfterKeepsTheEarlierTimeForAWaitingKey) {
  FakeClock clock;
  auto queue = newQueue(clock);
  queue->addAfter("a", 10s);
  queue->addAfter("a", 1s);
  queue->addAfter("a", 5s);
  clock.step(1s);
  EXPECT_EQ(queue->get(), "a");
  queue->done("a");
  clock.step(20s);
  EXPECT_EQ(queue->len(), 0u) << "the superseded 5s and 10s entries must not fire";
  queue->add("b");
  EXPECT_EQ(queue->get(), "b");
}

TEST(WorkQueueTest, BlockedGetWakesWhenTheClockReachesADelayedKey) {
  FakeClock clock;
  auto queue = newQueue(clock);
  queue->addAfter("a", 30s);
  std::optional<std::string> got;
  std::thread worker([&] { got = queue->get(); });
  awaitClockWaiters(clock, 1);
  clock.step(30s);
  worker.join();
  EXPECT_EQ(got, "a");
}

TEST(WorkQueueTest, AddRateLimitedBacksOffAndForgetResets) {
  FakeClock clock;
  auto queue = newQueue(clock);
  queue->addRateLimited("a");
  EXPECT_EQ(queue->numRequeues("a"), 1);
  clock.step(4ms);
  queue->add("marker");
  EXPECT_EQ(queue->get(), "marker");
  clock.step(1ms);
  ASSERT_EQ(queue->get(), "a");
  queue->done("a");
  queue->addRateLimited("a");  // second failure: 10 ms
  clock.step(9ms);
  queue->add("marker2");
  EXPECT_EQ(queue->get(), "marker2");
  clock.step(1ms);
  ASSERT_EQ(queue->get(), "a");
  queue->done("a");
  EXPECT_EQ(queue->numRequeues("a"), 2);
  queue->forget("a");
  EXPECT_EQ(queue->numRequeues("a"), 0);
  queue->addRateLimited("a");
  clock.step(5ms);
  EXPECT_EQ(queue->get(), "a");
}

TEST(WorkQueueTest, ShutDownWakesEveryWaiterAndRejectsWork) {
  FakeClock clock;
  auto queue = newQueue(clock);
  constexpr int kWaiters = 4;
  std::atomic<int> woke{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < kWaiters; ++i) {
    waiters.emplace_back([&] {
      if (!queue->get().has_value()) {
        ++woke;
      }
    });
  }
  queue->shutDown();
  for (auto& t : waiters) {
    t.join();
  }
  EXPECT_EQ(woke.load(), kWaiters);
  EXPECT_TRUE(queue->shuttingDown());
  queue->add("late");
  EXPECT_EQ(queue->len(), 0u);
  EXPECT_EQ(queue->get(), std::nullopt);
}

TEST(WorkQueueTest, ShutDownWakesAWaiterParkedOnADelay) {
  FakeClock clock;
  auto queue = newQueue(clock);
  queue->addAfter("a", 1h);
  std::optional<std::string> got = "unset";
  std::thread worker([&] { got = queue->get(); });
  awaitClockWaiters(clock, 1);
  queue->shutDown();
  worker.join();
  EXPECT_EQ(got, std::nullopt);
}

TEST(WorkQueueTest, ShutDownWithDrainWaitsForInFlightKeys) {
  FakeClock clock;
  auto queue = newQueue(clock);
  queue->add("a");
  queue->add("b");
  ASSERT_EQ(queue->get(), "a");
  std::atomic<bool> drained{false};
  std::thread stopper([&] {
    queue->shutDownWithDrain();
    drained = true;
  });
  while (!queue->shuttingDown()) {
    std::this_thread::yield();
  }
  EXPECT_EQ(queue->get(), std::nullopt) << "no new work once stopping";
  EXPECT_FALSE(drained.load());
  queue->done("a");
  stopper.join();
  EXPECT_TRUE(drained.load());
}

TEST(WorkQueueTest, ReportsWorkqueueMetrics) {
  FakeClock clock;
  metrics::Registry registry;
  auto queue = newQueue(clock, &registry);
  queue->add("a");
  queue->add("b");
  queue->add("a");
  clock.step(2s);
  ASSERT_EQ(queue->get(), "a");
  clock.step(3s);
  queue->addRateLimited("c");
  const std::string text = metrics::exposition(registry);
  EXPECT_NE(text.find("workqueue_adds_total{controller=\"test\",name=\"test\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("workqueue_depth{controller=\"test\",name=\"test\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("workqueue_retries_total{controller=\"test\",name=\"test\"} 1\n"),
            std::string::npos);
  EXPECT_NE(
      text.find("workqueue_queue_duration_seconds_sum{controller=\"test\",name=\"test\"} 2\n"),
      std::string::npos);
  EXPECT_NE(text.find("workqueue_unfinished_work_seconds{controller=\"test\",name=\"test\"} 3\n"),
            std::string::npos);
  EXPECT_NE(
      text.find(
          "workqueue_longest_running_processor_seconds{controller=\"test\",name=\"test\"} 3\n"),
      std::string::npos);
  queue->done("a");
  EXPECT_NE(metrics::exposition(registry).find(
                "workqueue_work_duration_seconds_count{controller=\"test\",name=\"test\"} 1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace landlord::kube
