#include "landlord/operator/flowcontrol/rate_limiter.h"

#include <gtest/gtest.h>

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiterTest, ExponentialBackoffDoublesFrom5msAndCapsAt1000s) {
  ItemExponentialFailureRateLimiter limiter(5ms, 1000s);
  Clock::Duration expected = 5ms;
  for (int i = 0; i < 40; ++i) {
    const Clock::Duration want = expected < 1000s ? expected : Clock::Duration(1000s);
    EXPECT_EQ(limiter.when("a"), want) << "retry " << i;
    expected *= 2;
    if (expected > 1000s) {
      expected = 1000s;
    }
  }
  EXPECT_EQ(limiter.numRequeues("a"), 40);
  // 5ms * 2^17 = 655.36s, 2^18 would be 1310.72s: capped.
  ItemExponentialFailureRateLimiter fresh(5ms, 1000s);
  for (int i = 0; i < 17; ++i) {
    fresh.when("b");
  }
  EXPECT_EQ(fresh.when("b"), 655360ms);
  EXPECT_EQ(fresh.when("b"), 1000s);
}

TEST(RateLimiterTest, BackoffIsPerItemAndForgetResetsIt) {
  ItemExponentialFailureRateLimiter limiter(5ms, 1000s);
  EXPECT_EQ(limiter.when("a"), 5ms);
  EXPECT_EQ(limiter.when("a"), 10ms);
  EXPECT_EQ(limiter.when("b"), 5ms);
  limiter.forget("a");
  EXPECT_EQ(limiter.numRequeues("a"), 0);
  EXPECT_EQ(limiter.when("a"), 5ms);
  EXPECT_EQ(limiter.numRequeues("b"), 1);
}

TEST(RateLimiterTest, TokenBucketAllowsBurstThenSpacesAtQps) {
  FakeClock clock;
  BucketRateLimiter bucket(10.0, 100, clock);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(bucket.when("x"), Clock::Duration::zero()) << i;
  }
  EXPECT_EQ(bucket.when("x"), 100ms);
  EXPECT_EQ(bucket.when("x"), 200ms);
  clock.step(200ms);  // two tokens refilled, both already reserved
  EXPECT_EQ(bucket.when("x"), 100ms);
  clock.step(1000s);  // refills to the burst, not beyond
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(bucket.when("x"), Clock::Duration::zero()) << i;
  }
  EXPECT_EQ(bucket.when("x"), 100ms);
}

TEST(RateLimiterTest, DefaultControllerLimiterTakesTheLargerDelay) {
  FakeClock clock;
  auto limiter = defaultControllerRateLimiter(clock);
  // Per-item backoff dominates while the bucket has tokens.
  EXPECT_EQ(limiter->when("a"), 5ms);
  EXPECT_EQ(limiter->when("a"), 10ms);
  for (int i = 0; i < 98; ++i) {
    limiter->when("item-" + std::to_string(i));
  }
  // The bucket is empty now: a fresh item waits for a token (100 ms) rather
  // than its own 5 ms.
  EXPECT_EQ(limiter->when("fresh"), 100ms);
  EXPECT_EQ(limiter->numRequeues("a"), 2);
  limiter->forget("a");
  EXPECT_EQ(limiter->numRequeues("a"), 0);
}

}  // namespace
}  // namespace landlord::kube
