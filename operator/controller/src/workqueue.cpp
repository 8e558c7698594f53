#include "landlord/operator/controller/workqueue.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <queue>
#include <set>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "landlord/operator/controller/controller_metrics.h"
#include "landlord/operator/metrics/metrics.h"

namespace landlord::kube {

namespace {

double seconds(Clock::Duration d) {
  return std::chrono::duration<double>(d).count();
}

// The per-queue children of the workqueue_* families.
struct QueueMetrics {
  QueueMetrics(prometheus::Registry& registry, const std::string& name)
      : families(registry),
        labels{{"name", name}, {"controller", name}},
        depth(families.depth.Add(labels)),
        adds(families.adds.Add(labels)),
        queueDuration(families.queueDuration.Add(labels, queueLatencyBuckets())),
        workDuration(families.workDuration.Add(labels, queueLatencyBuckets())),
        retries(families.retries.Add(labels)),
        unfinishedWork(families.unfinishedWork.Add(labels)),
        longestRunningProcessor(families.longestRunningProcessor.Add(labels)) {}

  WorkQueueMetricFamilies families;
  const prometheus::Labels labels;
  prometheus::Gauge& depth;
  prometheus::Counter& adds;
  prometheus::Histogram& queueDuration;
  prometheus::Histogram& workDuration;
  prometheus::Counter& retries;
  prometheus::Gauge& unfinishedWork;
  prometheus::Gauge& longestRunningProcessor;
};

class RateLimitingQueue final : public WorkQueue {
 public:
  explicit RateLimitingQueue(WorkQueueOptions options)
      : clock_(*options.clock), rateLimiter_(std::move(options.rateLimiter)) {
    if (!rateLimiter_) {
      rateLimiter_ = defaultControllerRateLimiter(clock_);
    }
    if (options.registry != nullptr) {
      metrics_ = std::make_unique<QueueMetrics>(*options.registry, options.name);
      collectHook_ = options.registry->onCollect([this] { updateUnfinishedWork(); });
    }
  }

  ~RateLimitingQueue() override { shutDown(); }

  void add(const std::string& key) override {
    std::lock_guard lock(mutex_);
    addLocked(key);
  }

  void addAfter(const std::string& key, Clock::Duration delay) override {
    if (delay <= Clock::Duration::zero()) {
      add(key);
      return;
    }
    std::lock_guard lock(mutex_);
    if (shuttingDown_) {
      return;
    }
    const Clock::TimePoint readyAt = clock_.now() + delay;
    auto [it, inserted] = waitingReadyAt_.try_emplace(key, readyAt);
    if (!inserted) {
      if (it->second <= readyAt) {
        return;
      }
      it->second = readyAt;
    }
    waiting_.push(Waiting{readyAt, nextSequence_++, key});
    // A blocked get() may now have an earlier deadline to wait for.
    cv_.notify_all();
  }

  void addRateLimited(const std::string& key) override {
    if (metrics_) {
      metrics_->retries.Increment();
    }
    addAfter(key, rateLimiter_->when(key));
  }

  void forget(const std::string& key) override { rateLimiter_->forget(key); }
  int numRequeues(const std::string& key) const override { return rateLimiter_->numRequeues(key); }

  std::optional<std::string> get() override {
    std::unique_lock lock(mutex_);
    while (true) {
      if (shuttingDown_) {
        return std::nullopt;
      }
      promoteReadyLocked();
      if (!queue_.empty()) {
        std::string key = std::move(queue_.front());
        queue_.pop_front();
        dirty_.erase(key);
        const Clock::TimePoint now = clock_.now();
        processing_.emplace(key, now);
        if (metrics_) {
          metrics_->depth.Decrement();
          const auto added = addedAt_.find(key);
          if (added != addedAt_.end()) {
            metrics_->queueDuration.Observe(seconds(now - added->second));
            addedAt_.erase(added);
          }
        }
        return key;
      }
      if (waiting_.empty()) {
        cv_.wait(lock);
      } else {
        clock_.waitUntil(lock, cv_, waiting_.top().readyAt);
      }
    }
  }

  void done(const std::string& key) override {
    std::lock_guard lock(mutex_);
    const auto it = processing_.find(key);
    if (it == processing_.end()) {
      throw std::logic_error("workqueue: done(\"" + key + "\") for a key that is not processing");
    }
    if (metrics_) {
      metrics_->workDuration.Observe(seconds(clock_.now() - it->second));
    }
    processing_.erase(it);
    if (dirty_.count(key) > 0) {
      pushLocked(key);
    }
    if (processing_.empty()) {
      drained_.notify_all();
    }
  }

  std::size_t len() const override {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

  void shutDown() override {
    std::lock_guard lock(mutex_);
    shuttingDown_ = true;
    cv_.notify_all();
  }

  void shutDownWithDrain() override {
    std::unique_lock lock(mutex_);
    shuttingDown_ = true;
    cv_.notify_all();
    drained_.wait(lock, [this] { return processing_.empty(); });
  }

  bool shuttingDown() const override {
    std::lock_guard lock(mutex_);
    return shuttingDown_;
  }

 private:
  struct Waiting {
    Clock::TimePoint readyAt;
    std::uint64_t sequence;  // keeps keys with equal times in the order they were added
    std::string key;
    bool operator>(const Waiting& other) const {
      return std::tie(readyAt, sequence) > std::tie(other.readyAt, other.sequence);
    }
  };

  void addLocked(const std::string& key) {
    if (shuttingDown_ || dirty_.count(key) > 0) {
      return;
    }
    if (metrics_) {
      metrics_->adds.Increment();
    }
    dirty_.insert(key);
    if (processing_.count(key) > 0) {
      return;  // queued again by done()
    }
    pushLocked(key);
  }

  void pushLocked(const std::string& key) {
    queue_.push_back(key);
    if (metrics_) {
      metrics_->depth.Increment();
      addedAt_.emplace(key, clock_.now());
    }
    cv_.notify_one();
  }

  // Moves every delayed key whose time has come into the queue.
  void promoteReadyLocked() {
    const Clock::TimePoint now = clock_.now();
    while (!waiting_.empty() && waiting_.top().readyAt <= now) {
      Waiting next = waiting_.top();
      waiting_.pop();
      const auto it = waitingReadyAt_.find(next.key);
      // Entries superseded by an earlier addAfter() of the same key are stale.
      if (it == waitingReadyAt_.end() || it->second != next.readyAt) {
        continue;
      }
      waitingReadyAt_.erase(it);
      addLocked(next.key);
    }
  }

  void updateUnfinishedWork() {
    std::lock_guard lock(mutex_);
    const Clock::TimePoint now = clock_.now();
    double total = 0;
    double longest = 0;
    for (const auto& [key, started] : processing_) {
      const double running = seconds(now - started);
      total += running;
      longest = std::max(longest, running);
    }
    metrics_->unfinishedWork.Set(total);
    metrics_->longestRunningProcessor.Set(longest);
  }

  const Clock& clock_;
  std::unique_ptr<RateLimiter> rateLimiter_;
  std::unique_ptr<QueueMetrics> metrics_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;       // get() waiters; with mutex_
  std::condition_variable drained_;  // shutDownWithDrain() waiters; with mutex_
  std::deque<std::string> queue_;    // guarded by mutex_
  std::set<std::string> dirty_;      // guarded by mutex_; keys that need processing
  std::map<std::string, Clock::TimePoint> processing_;  // guarded by mutex_; key -> start
  std::map<std::string, Clock::TimePoint> addedAt_;     // guarded by mutex_; for queue duration
  std::priority_queue<Waiting, std::vector<Waiting>, std::greater<>> waiting_;  // mutex_
  std::map<std::string, Clock::TimePoint> waitingReadyAt_;                      // guarded by mutex_
  std::uint64_t nextSequence_ = 0;                                              // guarded by mutex_
  bool shuttingDown_ = false;                                                   // guarded by mutex_

  // Last member: unregistered first, before the state it reads is destroyed.
  metrics::CollectHookRegistration collectHook_;
};

}  // namespace

std::unique_ptr<WorkQueue> makeWorkQueue(WorkQueueOptions options) {
  if (options.clock == nullptr) {
    throw std::invalid_argument("makeWorkQueue: a clock is required");
  }
  return std::make_unique<RateLimitingQueue>(std::move(options));
}

}  // namespace landlord::kube
