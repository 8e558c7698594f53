#include "landlord/operator/flowcontrol/rate_limiter.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace landlord::kube {

ItemExponentialFailureRateLimiter::ItemExponentialFailureRateLimiter(Clock::Duration baseDelay,
                                                                     Clock::Duration maxDelay)
    : baseDelay_(baseDelay), maxDelay_(maxDelay) {}

Clock::Duration ItemExponentialFailureRateLimiter::when(const std::string& item) {
  int exponent = 0;
  {
    std::lock_guard lock(mutex_);
    exponent = failures_[item]++;
  }
  // Computed in floating point so that large exponents saturate at maxDelay
  // instead of overflowing.
  const double backoff = static_cast<double>(baseDelay_.count()) * std::pow(2.0, exponent);
  if (backoff >= static_cast<double>(maxDelay_.count())) {
    return maxDelay_;
  }
  return Clock::Duration(static_cast<Clock::Duration::rep>(backoff));
}

void ItemExponentialFailureRateLimiter::forget(const std::string& item) {
  std::lock_guard lock(mutex_);
  failures_.erase(item);
}

int ItemExponentialFailureRateLimiter::numRequeues(const std::string& item) const {
  std::lock_guard lock(mutex_);
  const auto it = failures_.find(item);
  return it == failures_.end() ? 0 : it->second;
}

BucketRateLimiter::BucketRateLimiter(double qps, int burst, const Clock& clock)
    : qps_(qps), burst_(burst), clock_(clock), tokens_(burst), last_(clock.now()) {
  if (qps <= 0 || burst < 1) {
    throw std::invalid_argument("token bucket needs qps > 0 and burst >= 1");
  }
}

Clock::Duration BucketRateLimiter::when(const std::string&) {
  std::lock_guard lock(mutex_);
  const Clock::TimePoint now = clock_.now();
  if (now > last_) {
    const double elapsedSeconds = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsedSeconds * qps_);
    last_ = now;
  }
  tokens_ -= 1.0;
  if (tokens_ >= 0) {
    return Clock::Duration::zero();
  }
  return std::chrono::duration_cast<Clock::Duration>(
      std::chrono::duration<double>(-tokens_ / qps_));
}

MaxOfRateLimiter::MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters)
    : limiters_(std::move(limiters)) {}

Clock::Duration MaxOfRateLimiter::when(const std::string& item) {
  Clock::Duration longest = Clock::Duration::zero();
  for (auto& limiter : limiters_) {
    longest = std::max(longest, limiter->when(item));
  }
  return longest;
}

void MaxOfRateLimiter::forget(const std::string& item) {
  for (auto& limiter : limiters_) {
    limiter->forget(item);
  }
}

int MaxOfRateLimiter::numRequeues(const std::string& item) const {
  int most = 0;
  for (const auto& limiter : limiters_) {
    most = std::max(most, limiter->numRequeues(item));
  }
  return most;
}

std::unique_ptr<RateLimiter> defaultControllerRateLimiter(const Clock& clock) {
  using namespace std::chrono_literals;
  std::vector<std::unique_ptr<RateLimiter>> limiters;
  limiters.push_back(std::make_unique<ItemExponentialFailureRateLimiter>(5ms, 1000s));
  limiters.push_back(std::make_unique<BucketRateLimiter>(10.0, 100, clock));
  return std::make_unique<MaxOfRateLimiter>(std::move(limiters));
}

}  // namespace landlord::kube
