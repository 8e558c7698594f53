#include "landlord/operator/controller/workqueue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <map>
#include <optional>
#include <random>
#include <set>
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

// Random adds, delays, gets and dones against a model of the semantics: every
// key handed out was owed and not held by a worker, and once the clock passes
// every delay, each owed key comes out exactly once. Catches a queue that
// forgets a key it still owes, or keeps one it has paid.
TEST(WorkQueueTest, RandomOperationsHandOutExactlyTheOwedKeys) {
  struct Owed {
    bool pending = false;
    bool processing = false;
    std::optional<Clock::TimePoint> readyAt;
  };
  for (unsigned seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 random(seed);
    FakeClock clock;
    auto queue = newQueue(clock);
    std::map<std::string, Owed> model;
    const auto keyOf = [&] { return "key-" + std::to_string(random() % 12); };
    // Like the queue, the model moves a delayed key whose time has come into the
    // queue when a worker asks for work, not when the clock passes its time.
    const auto due = [&](const Owed& owed) { return owed.readyAt && *owed.readyAt <= clock.now(); };
    const auto promote = [&] {
      for (auto& [key, owed] : model) {
        if (due(owed)) {
          owed.pending = true;
          owed.readyAt.reset();
        }
      }
    };
    const auto queued = [&] {
      std::size_t n = 0;
      for (const auto& [key, owed] : model) {
        n += owed.pending && !owed.processing ? 1 : 0;
      }
      return n;
    };
    const auto handable = [&] {
      std::size_t n = 0;
      for (const auto& [key, owed] : model) {
        n += (owed.pending || due(owed)) && !owed.processing ? 1 : 0;
      }
      return n;
    };
    const auto take = [&] {
      promote();
      // A queue that lost an owed key would block here for ever: give up after a
      // while, and fail rather than hang.
      auto got = std::async(std::launch::async, [&] { return queue->get(); });
      if (got.wait_for(10s) != std::future_status::ready) {
        queue->shutDown();
        got.wait();
        FAIL() << "get() found nothing ready although " << handable() << " keys were owed";
      }
      const std::optional<std::string> key = got.get();
      ASSERT_TRUE(key.has_value());
      Owed& owed = model[*key];
      ASSERT_TRUE(owed.pending) << *key << " was handed out but not owed";
      ASSERT_FALSE(owed.processing) << *key << " was handed to a second worker";
      owed.pending = false;
      owed.processing = true;
    };
    for (int step = 0; step < 2000; ++step) {
      const std::string key = keyOf();
      switch (random() % 5) {
        case 0:
          queue->add(key);
          model[key].pending = true;
          break;
        case 1: {
          const auto delay = std::chrono::milliseconds(random() % 50);
          queue->addAfter(key, delay);
          Owed& owed = model[key];
          if (delay == Clock::Duration::zero()) {
            owed.pending = true;
          } else if (!owed.readyAt || clock.now() + delay < *owed.readyAt) {
            owed.readyAt = clock.now() + delay;
          }
          break;
        }
        case 2:
          clock.step(std::chrono::milliseconds(random() % 20));
          break;
        case 3:
          if (handable() > 0) {
            take();
          }
          break;
        default:
          for (auto& [held, owed] : model) {
            if (owed.processing && random() % 2 == 0) {
              queue->done(held);
              owed.processing = false;
            }
          }
      }
      ASSERT_EQ(queue->len(), queued());
      if (HasFatalFailure()) {
        return;
      }
    }
    for (auto& [held, owed] : model) {
      if (owed.processing) {
        queue->done(held);
        owed.processing = false;
      }
    }
    clock.step(1h);
    std::set<std::string> drained;
    while (handable() > 0) {
      take();
      for (auto& [held, owed] : model) {
        if (owed.processing) {
          EXPECT_TRUE(drained.insert(held).second) << held << " came out twice";
          queue->done(held);
          owed.processing = false;
        }
      }
    }
    EXPECT_EQ(queue->len(), 0u);
  }
}

// A handover's storm: thousands of keys, some delayed, drained while new keys
// arrive. The queue gives back the room the storm took as it drains, while keys
// are still queued and waiting; every key must come out exactly once, the
// immediate ones in the order they were added.
TEST(WorkQueueTest, AStormOfKeysDrainsExactlyOnceWhileTheQueueShrinks) {
  FakeClock clock;
  auto queue = newQueue(clock);
  constexpr int kNow = 5000;
  constexpr int kLater = 3000;
  for (int i = 0; i < kNow; ++i) {
    queue->add("node-" + std::to_string(i));
  }
  for (int i = 0; i < kLater; ++i) {
    queue->addAfter("later-" + std::to_string(i), std::chrono::milliseconds(1 + i));
  }
  std::vector<std::string> handedOut;
  const auto takeOne = [&] {
    const std::optional<std::string> key = queue->get();
    ASSERT_TRUE(key.has_value());
    handedOut.push_back(*key);
    queue->done(*key);
  };
  for (int i = 0; i < kNow - 100; ++i) {
    takeOne();
  }
  for (int i = 0; i < 10; ++i) {
    queue->add("fresh-" + std::to_string(i));
  }
  clock.step(1h);
  while (queue->len() > 0 || handedOut.size() < kNow + kLater + 10) {
    takeOne();
    if (HasFatalFailure()) {
      return;
    }
  }
  ASSERT_EQ(handedOut.size(), static_cast<std::size_t>(kNow + kLater + 10));
  EXPECT_EQ(std::set<std::string>(handedOut.begin(), handedOut.end()).size(), handedOut.size())
      << "a key came out twice";
  for (int i = 0; i < kNow; ++i) {
    EXPECT_EQ(handedOut[i], "node-" + std::to_string(i));
  }
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(handedOut[kNow + i], "fresh-" + std::to_string(i));
  }
  // The delayed keys come out in the order of their times.
  for (int i = 0; i < kLater; ++i) {
    EXPECT_EQ(handedOut[kNow + 10 + i], "later-" + std::to_string(i));
  }
  EXPECT_EQ(queue->len(), 0u);
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
