#include "landlord/operator/manager/heap_trimmer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace landlord::kube {
namespace {

Logger quietLogger() {
  return Logger(makeSpdlogLogger("t", LogFormat::text, spdlog::level::off));
}

TEST(HeapTrimmerTest, TrimsOnlyOnceEnoughHeapIsFree) {
  std::size_t free = 0;
  int trims = 0;
  HeapTrimmer trimmer(HeapTrimmerOptions{.minFreeBytes = 1000,
                                         .freeBytes = [&free] { return free; },
                                         .trim =
                                             [&trims] {
                                               ++trims;
                                               return true;
                                             }},
                      quietLogger());
  EXPECT_FALSE(trimmer.trimIfWorthIt());
  free = 999;
  EXPECT_FALSE(trimmer.trimIfWorthIt());
  EXPECT_EQ(trims, 0);
  free = 1000;
  EXPECT_TRUE(trimmer.trimIfWorthIt());
  free = 1 << 30;
  EXPECT_TRUE(trimmer.trimIfWorthIt());
  EXPECT_EQ(trims, 2);
}

TEST(HeapTrimmerTest, LooksEveryIntervalUntilStopped) {
  std::atomic<int> looks = 0;
  std::atomic<int> trims = 0;
  HeapTrimmer trimmer(
      HeapTrimmerOptions{.interval = std::chrono::milliseconds(1),
                         .minFreeBytes = 10,
                         .freeBytes = [&looks] { return ++looks % 2 == 0 ? std::size_t{10} : 0; },
                         .trim =
                             [&trims] {
                               ++trims;
                               return false;
                             }},
      quietLogger());
  EXPECT_FALSE(trimmer.needsLeaderElection());  // followers cache too
  std::jthread runner([&trimmer](std::stop_token stop) { trimmer.run(stop); });
  while (trims.load() < 3) {
    std::this_thread::yield();
  }
  runner.request_stop();
  runner.join();  // returns once stopped: a trimmer that ignored the stop would hang here
  const int looksAtStop = looks.load();
  EXPECT_GE(looksAtStop, 6);
  EXPECT_EQ(trims.load(), looksAtStop / 2);  // every look with enough free, and no other
}

}  // namespace
}  // namespace landlord::kube
