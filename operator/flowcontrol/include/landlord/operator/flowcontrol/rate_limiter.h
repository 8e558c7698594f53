#pragma once

// How long an item waits before it is retried. Modelled on client-go's
// workqueue rate limiters: per-item exponential backoff combined with an
// overall token bucket, the larger delay winning.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "landlord/operator/base/clock.h"

namespace landlord::kube {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // The delay before `item` may be processed again; each call counts a retry.
  virtual Clock::Duration when(const std::string& item) = 0;
  // Clears the retry history of `item` (after it succeeded).
  virtual void forget(const std::string& item) = 0;
  // How many times `item` has been retried since it was last forgotten.
  virtual int numRequeues(const std::string& item) const = 0;
};

// baseDelay * 2^failures, capped at maxDelay.
class ItemExponentialFailureRateLimiter final : public RateLimiter {
 public:
  ItemExponentialFailureRateLimiter(Clock::Duration baseDelay, Clock::Duration maxDelay);
  Clock::Duration when(const std::string& item) override;
  void forget(const std::string& item) override;
  int numRequeues(const std::string& item) const override;

 private:
  const Clock::Duration baseDelay_;
  const Clock::Duration maxDelay_;
  mutable std::mutex mutex_;
  std::map<std::string, int> failures_;  // guarded by mutex_
};

// An overall token bucket (qps tokens per second, at most `burst` stored),
// independent of the item. Each when() reserves one token and returns how long
// until that token is available, as golang.org/x/time/rate's Reserve().
class BucketRateLimiter final : public RateLimiter {
 public:
  BucketRateLimiter(double qps, int burst, const Clock& clock);
  Clock::Duration when(const std::string& item) override;
  void forget(const std::string&) override {}
  int numRequeues(const std::string&) const override { return 0; }

 private:
  const double qps_;
  const double burst_;
  const Clock& clock_;
  std::mutex mutex_;
  double tokens_;          // guarded by mutex_; negative when reservations are outstanding
  Clock::TimePoint last_;  // guarded by mutex_
};

// The largest delay of all its limiters; numRequeues is the largest of theirs.
class MaxOfRateLimiter final : public RateLimiter {
 public:
  explicit MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters);
  Clock::Duration when(const std::string& item) override;
  void forget(const std::string& item) override;
  int numRequeues(const std::string& item) const override;

 private:
  std::vector<std::unique_ptr<RateLimiter>> limiters_;
};

// client-go's DefaultControllerRateLimiter: 5 ms doubling per failure up to
// 1000 s per item, combined with an overall bucket of 10 qps, burst 100.
std::unique_ptr<RateLimiter> defaultControllerRateLimiter(const Clock& clock);

}  // namespace landlord::kube
