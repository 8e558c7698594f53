#include "landlord/operator/controller/workqueue.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
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

// Keeps one entry per key it knows (queued, processing or waiting out a delay)
// and forgets the key once none of those holds: a storm of 30,000 node keys
// costs one map node each, not a copy in every structure that tracks them.
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
    if (shuttingDown_) {
      return;
    }
    markDirtyLocked(entries_.try_emplace(key).first);
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
    Entry& entry = entries_.try_emplace(key).first->second;
    if (entry.waiting && entry.readyAt <= readyAt) {
      return;
    }
    entry.waiting = true;
    entry.readyAt = readyAt;
    waiting_.push_back(Waiting{readyAt, nextSequence_++, key});
    std::push_heap(waiting_.begin(), waiting_.end(), std::greater<>());
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
        Entries::value_type& item = *queue_.front();
        queue_.pop_front();
        Entry& entry = item.second;
        const Clock::TimePoint now = clock_.now();
        entry.dirty = false;
        entry.processing = true;
        entry.startedAt = now;
        if (metrics_) {
          metrics_->depth.Decrement();
          metrics_->queueDuration.Observe(seconds(now - entry.queuedAt));
        }
        ++processing_;
        return item.first;
      }
      if (waiting_.empty()) {
        cv_.wait(lock);
      } else {
        clock_.waitUntil(lock, cv_, waiting_.front().readyAt);
      }
    }
  }

  void done(const std::string& key) override {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || !it->second.processing) {
      throw std::logic_error("workqueue: done(\"" + key + "\") for a key that is not processing");
    }
    Entry& entry = it->second;
    if (metrics_) {
      metrics_->workDuration.Observe(seconds(clock_.now() - entry.startedAt));
    }
    entry.processing = false;
    --processing_;
    if (entry.dirty) {
      pushLocked(*it);
    } else {
      forgetIfIdleLocked(it);
    }
    if (processing_ == 0) {
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
    drained_.wait(lock, [this] { return processing_ == 0; });
  }

  bool shuttingDown() const override {
    std::lock_guard lock(mutex_);
    return shuttingDown_;
  }

 private:
  struct Entry {
    bool dirty = false;         // needs processing: in queue_ unless processing
    bool processing = false;    // handed to a worker
    bool waiting = false;       // delayed until readyAt
    Clock::TimePoint queuedAt;  // for workqueue_queue_duration_seconds
    Clock::TimePoint startedAt;
    Clock::TimePoint readyAt;
  };
  using Entries = std::unordered_map<std::string, Entry>;

  // A handover's storm leaves a bucket array and a delay heap sized for every
  // node of the pool; once the storm has passed they are given back, so the
  // memory a quiet operator holds does not depend on its busiest minute.
  static constexpr std::size_t kStormSize = 1024;

  struct Waiting {
    Clock::TimePoint readyAt;
    std::uint64_t sequence;  // keeps keys with equal times in the order they were added
    std::string key;
    bool operator>(const Waiting& other) const {
      return std::tie(readyAt, sequence) > std::tie(other.readyAt, other.sequence);
    }
  };

  void markDirtyLocked(Entries::iterator it) {
    Entry& entry = it->second;
    if (entry.dirty) {
      return;
    }
    if (metrics_) {
      metrics_->adds.Increment();
    }
    entry.dirty = true;
    if (!entry.processing) {  // else queued again by done()
      pushLocked(*it);
    }
  }

  void pushLocked(Entries::value_type& item) {
    item.second.queuedAt = clock_.now();
    queue_.push_back(&item);
    if (metrics_) {
      metrics_->depth.Increment();
    }
    cv_.notify_one();
  }

  void forgetIfIdleLocked(Entries::iterator it) {
    const Entry& entry = it->second;
    if (!entry.dirty && !entry.processing && !entry.waiting) {
      entries_.erase(it);
      if (entries_.bucket_count() > kStormSize && entries_.size() * 8 < entries_.bucket_count()) {
        entries_.rehash(0);  // moves no entry, so queue_'s pointers stay valid
      }
    }
  }

  // Moves every delayed key whose time has come into the queue.
  void promoteReadyLocked() {
    const Clock::TimePoint now = clock_.now();
    while (!waiting_.empty() && waiting_.front().readyAt <= now) {
      std::pop_heap(waiting_.begin(), waiting_.end(), std::greater<>());
      const Waiting& next = waiting_.back();
      const auto it = entries_.find(next.key);
      // Entries superseded by an earlier addAfter() of the same key are stale.
      if (it != entries_.end() && it->second.waiting && it->second.readyAt == next.readyAt) {
        it->second.waiting = false;
        markDirtyLocked(it);
      }
      waiting_.pop_back();
    }
    if (waiting_.capacity() > kStormSize && waiting_.size() * 8 < waiting_.capacity()) {
      waiting_.shrink_to_fit();
    }
  }

  void updateUnfinishedWork() {
    std::lock_guard lock(mutex_);
    const Clock::TimePoint now = clock_.now();
    double total = 0;
    double longest = 0;
    if (processing_ > 0) {
      for (const auto& [key, entry] : entries_) {
        if (entry.processing) {
          const double running = seconds(now - entry.startedAt);
          total += running;
          longest = std::max(longest, running);
        }
      }
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
  // Every key the queue tracks. A pointer to an element stays valid (unlike an
  // iterator, through rehashing) until the element is erased, which happens
  // only once it is neither queued, processing nor waiting.
  Entries entries_;                         // guarded by mutex_
  std::deque<Entries::value_type*> queue_;  // guarded by mutex_; ready, in order
  std::size_t processing_ = 0;              // guarded by mutex_
  std::vector<Waiting> waiting_;            // guarded by mutex_; a min-heap on (readyAt, sequence)
  std::uint64_t nextSequence_ = 0;          // guarded by mutex_
  bool shuttingDown_ = false;               // guarded by mutex_

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
