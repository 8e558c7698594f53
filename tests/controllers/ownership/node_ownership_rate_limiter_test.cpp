// A fleet's nodes all retrying at once (their writes conflicting with the kubelets'
// status updates) each wait their own backoff, not a queue-wide bucket.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "landlord/controllers/ownership/node_ownership_reconciler.h"
#include "landlord/operator/base/clock.h"

namespace landlord::controllers {
namespace {

using namespace std::chrono_literals;

kube::Clock::Duration longestFirstRetry(kube::RateLimiter& limiter, int nodes) {
  kube::Clock::Duration longest{};
  for (int i = 0; i < nodes; ++i) {
    longest = std::max(longest, limiter.when("node-" + std::to_string(i)));
  }
  return longest;
}

TEST(NodeOwnershipRateLimiter, AThousandNodesRetryingAtOnceEachWaitTheirOwnBackoff) {
  const auto limiter = nodeOwnershipRateLimiter();
  EXPECT_EQ(longestFirstRetry(*limiter, 1000), 5ms);

  // The default controller limiter would space the same retries 100 ms apart
  // past its burst: the last node's first retry 90 s out.
  kube::FakeClock clock;
  const auto shared = kube::defaultControllerRateLimiter(clock);
  EXPECT_GT(longestFirstRetry(*shared, 1000), 60s);
}

TEST(NodeOwnershipRateLimiter, ANodeThatKeepsFailingBacksOffToThirtySeconds) {
  const auto limiter = nodeOwnershipRateLimiter();
  kube::Clock::Duration delay{};
  for (int i = 0; i < 6; ++i) {
    delay = limiter->when("node-a");
  }
  EXPECT_EQ(delay, 160ms);
  for (int i = 0; i < 30; ++i) {
    delay = limiter->when("node-a");
  }
  EXPECT_EQ(delay, 30s);
  limiter->forget("node-a");
  EXPECT_EQ(limiter->when("node-a"), 5ms);
}

}  // namespace
}  // namespace landlord::controllers
