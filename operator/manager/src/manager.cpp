#include "landlord/operator/manager/manager.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace landlord::kube {

const char* toString(ManagerExit exit) {
  switch (exit) {
    case ManagerExit::stopped:
      return "stopped";
    case ManagerExit::leadershipLost:
      return "leader election lost";
    case ManagerExit::runnableFailed:
      return "a runnable failed";
    case ManagerExit::shutdownTimedOut:
      return "graceful shutdown timed out";
  }
  return "unknown";
}

class Manager::Impl {
 public:
  Impl(ManagerOptions options, Logger logger)
      : clock_(*options.clock),
        grace_(options.gracefulShutdownTimeout),
        election_(std::move(options.election)),
        logger_(std::move(logger)) {}

  ~Impl() {
    leaderStop_.request_stop();
    electionStop_.request_stop();
    otherStop_.request_stop();
    // jthreads join as the vectors are destroyed.
  }

  // A group of runnables sharing one stop source.
  struct Group {
    std::stop_source stop;
    int running = 0;  // guarded by Impl::mutex_
  };

  void add(std::unique_ptr<Runnable> runnable) {
    std::lock_guard lock(mutex_);
    if (started_) {
      throw std::logic_error("manager: add(" + runnable->name() + ") after run()");
    }
    runnables_.push_back(std::move(runnable));
  }

  ManagerExit run(std::stop_token stop) {
    {
      std::lock_guard lock(mutex_);
      started_ = true;
      startGroupLocked(false);
      if (!election_) {
        startGroupLocked(true);
      } else {
        electionRunning_ = true;
        electionThread_ = std::jthread([this] { campaign(); });
      }
    }
    std::optional<ManagerExit> reason;
    {
      std::stop_callback onStop(stop, [this] { finish(ManagerExit::stopped); });
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return reason_.has_value(); });
      reason = reason_;
    }
    logger_.info("stopping: {}", toString(*reason));
    if (*reason == ManagerExit::leadershipLost) {
      // As controller-runtime: no grace once another replica may be acting.
      leaderStop_.request_stop();
      electionStop_.request_stop();
      otherStop_.request_stop();
      return *reason;
    }
    return shutDown(*reason);
  }

  ManagerExit shutDown(ManagerExit reason) {
    const Clock::TimePoint deadline = clock_.now() + grace_;
    leaderStop_.request_stop();
    bool inTime = waitFor([this] { return leaderGroup_.running == 0; }, deadline);
    if (inTime) {
      // Release the lease only once no controller acts any more.
      electionStop_.request_stop();
      inTime = waitFor([this] { return !electionRunning_; }, deadline);
    }
    otherStop_.request_stop();
    inTime = waitFor([this] { return otherGroup_.running == 0; }, deadline) && inTime;
    if (!inTime) {
      logger_.error("runnables did not stop within the graceful shutdown timeout of {}ms",
                    std::chrono::duration_cast<std::chrono::milliseconds>(grace_).count());
      return ManagerExit::shutdownTimedOut;
    }
    logger_.info("all runnables stopped");
    return reason;
  }

  template <typename Predicate>
  bool waitFor(Predicate done, Clock::TimePoint deadline) {
    std::unique_lock lock(mutex_);
    while (!done()) {
      if (clock_.now() >= deadline) {
        return false;
      }
      clock_.waitUntil(lock, cv_, deadline);
    }
    return true;
  }

  void startGroupLocked(bool leaderOnly) {
    Group& group = leaderOnly ? leaderGroup_ : otherGroup_;
    if (group.stop.stop_requested()) {
      return;
    }
    for (const auto& runnable : runnables_) {
      if (runnable->needsLeaderElection() != leaderOnly) {
        continue;
      }
      ++group.running;
      Runnable* r = runnable.get();
      threads_.emplace_back([this, r, &group, token = group.stop.get_token()] {
        runOne(*r, token);
        std::lock_guard lock(mutex_);
        --group.running;
        cv_.notify_all();
      });
    }
  }

  void runOne(Runnable& runnable, std::stop_token stop) {
    logger_.info("starting {}", runnable.name());
    try {
      runnable.run(stop);
      logger_.info("{} stopped", runnable.name());
    } catch (const std::exception& e) {
      logger_.error("{} failed: {}", runnable.name(), e.what());
      finish(ManagerExit::runnableFailed);
    } catch (...) {
      logger_.error("{} failed with a non-standard exception", runnable.name());
      finish(ManagerExit::runnableFailed);
    }
  }

  void campaign() {
    election_->run(
        electionStop_.get_token(),
        [this] {
          std::lock_guard lock(mutex_);
          leading_ = true;
          logger_.info("became leader: starting controllers");
          startGroupLocked(true);
        },
        [this] {
          leaderStop_.request_stop();  // stop taking work at once
          {
            std::lock_guard lock(mutex_);
            leading_ = false;
          }
          // Unasked, this is a loss: report it now rather than when the
          // election returns, which may wait on a renewal request that hangs
          // until the client's timeout while controllers' writes go on.
          if (!electionStop_.stop_requested()) {
            finish(ManagerExit::leadershipLost);
          }
        });
    const bool asked = electionStop_.stop_requested();
    {
      std::lock_guard lock(mutex_);
      electionRunning_ = false;
      cv_.notify_all();
    }
    if (!asked) {
      leaderStop_.request_stop();
      finish(ManagerExit::leadershipLost);
    }
  }

  void finish(ManagerExit reason) {
    std::lock_guard lock(mutex_);
    if (!reason_) {
      reason_ = reason;
    }
    cv_.notify_all();
  }

  const Clock& clock_;
  const Clock::Duration grace_;
  const std::unique_ptr<Election> election_;
  const Logger logger_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;  // with mutex_: reason_, group counts, electionRunning_
  std::vector<std::unique_ptr<Runnable>> runnables_;  // guarded by mutex_
  bool started_ = false;                              // guarded by mutex_
  bool leading_ = false;                              // guarded by mutex_
  bool electionRunning_ = false;                      // guarded by mutex_
  std::optional<ManagerExit> reason_;                 // guarded by mutex_
  Group leaderGroup_;
  Group otherGroup_;
  std::stop_source& leaderStop_ = leaderGroup_.stop;
  std::stop_source& otherStop_ = otherGroup_.stop;
  std::stop_source electionStop_;
  // Last: joined first on destruction, while everything they use still exists.
  std::vector<std::jthread> threads_;  // guarded by mutex_
  std::jthread electionThread_;
};

Manager::Manager(ManagerOptions options, Logger logger) {
  if (options.clock == nullptr) {
    throw std::invalid_argument("manager: a clock is required");
  }
  impl_ = std::make_unique<Impl>(std::move(options), std::move(logger));
}

Manager::~Manager() = default;

Runnable& Manager::add(std::unique_ptr<Runnable> runnable) {
  Runnable& ref = *runnable;
  impl_->add(std::move(runnable));
  return ref;
}

ManagerExit Manager::run(std::stop_token stop) {
  return impl_->run(std::move(stop));
}

bool Manager::electionRunning() const {
  std::lock_guard lock(impl_->mutex_);
  return !impl_->election_ || impl_->electionRunning_;
}

bool Manager::leading() const {
  std::lock_guard lock(impl_->mutex_);
  return !impl_->election_ || impl_->leading_;
}

}  // namespace landlord::kube
