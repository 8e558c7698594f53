#pragma once

// Time as the runtime sees it. Everything that waits or measures durations
// (work queue delays, backoff, token bucket, leader election) takes a Clock so
// that unit tests can drive time by hand instead of sleeping.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace landlord::kube {

class Clock {
 public:
  using Duration = std::chrono::steady_clock::duration;
  using TimePoint = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;

  // Monotonic time; never goes backwards.
  virtual TimePoint now() const = 0;

  // Blocks on `cv` (releasing `lock`, which the caller holds) until the cv is
  // notified or this clock reaches `deadline`. May return early (spuriously):
  // callers re-check their condition in a loop, as with any condition variable.
  virtual void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                         TimePoint deadline) const = 0;
};

// The process's clock: std::chrono::steady_clock.
class SteadyClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
  void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 TimePoint deadline) const override {
    cv.wait_until(lock, deadline);
  }
};

// A clock that moves only when a test calls step() or setTime(). Waiters blocked
// in waitUntil() wake when the time is moved, so code under test observes the
// new time without any real sleeping.
//
// Waiters must not be destroyed while another thread is inside step()/setTime().
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint{} + std::chrono::hours(1)) : now_(start) {}

  TimePoint now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }

  void step(Duration d) { setTime(now() + d); }

  void setTime(TimePoint t) {
    std::vector<Waiter> toWake;
    {
      std::lock_guard lock(mutex_);
      now_ = t;
      toWake = waiters_;
    }
    for (const Waiter& w : toWake) {
      // Taking the waiter's own mutex guarantees it is either already blocked
      // in cv.wait (and receives the notification) or has not yet registered
      // (and will see the new time when it does).
      { std::lock_guard waiterLock(*w.mutex); }
      w.cv->notify_all();
    }
  }

  // Number of threads currently blocked in waitUntil(); lets tests wait for a
  // worker to be parked before they move time.
  std::size_t waiters() const {
    std::lock_guard lock(mutex_);
    return waiters_.size();
  }

  void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 TimePoint deadline) const override {
    const Waiter self{lock.mutex(), &cv};
    {
      std::lock_guard guard(mutex_);
      if (now_ >= deadline) {
        return;
      }
      waiters_.push_back(self);
    }
    cv.wait(lock);
    std::lock_guard guard(mutex_);
    for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
      if (it->mutex == self.mutex && it->cv == self.cv) {
        waiters_.erase(it);
        break;
      }
    }
  }

 private:
  struct Waiter {
    std::mutex* mutex;
    std::condition_variable* cv;
  };

  mutable std::mutex mutex_;
  TimePoint now_;                        // guarded by mutex_
  mutable std::vector<Waiter> waiters_;  // guarded by mutex_
};

}  // namespace landlord::kube
