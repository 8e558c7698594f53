#pragma once

// A rate-limited, delaying, de-duplicating work queue of object keys, with
// client-go's workqueue semantics:
// - a key added while it waits in the queue is queued once;
// - a key added while a worker processes it is queued again only after done(),
//   so two workers never hold the same key;
// - addAfter() delays a key; addRateLimited() delays it by its rate limiter.
//
// One deliberate difference: after shutDown() get() returns nothing, even if
// keys are still queued, so a stopping controller takes no new work.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/flowcontrol/rate_limiter.h"

namespace landlord::kube {

namespace metrics {
class Registry;
}

class WorkQueue {
 public:
  virtual ~WorkQueue() = default;

  // Queues `key` unless it is already queued. No effect after shutdown.
  virtual void add(const std::string& key) = 0;
  // Queues `key` once `delay` has passed on the queue's clock; a key already
  // waiting keeps the earlier of the two times.
  virtual void addAfter(const std::string& key, Clock::Duration delay) = 0;
  // Queues `key` after the delay its rate limiter gives (counts a retry).
  virtual void addRateLimited(const std::string& key) = 0;
  // Resets `key`'s backoff (after it succeeded).
  virtual void forget(const std::string& key) = 0;
  virtual int numRequeues(const std::string& key) const = 0;

  // Blocks until a key is ready and hands it to the caller, who must call
  // done(key) when finished. Returns nullopt once the queue is shut down.
  virtual std::optional<std::string> get() = 0;
  virtual void done(const std::string& key) = 0;

  // Keys ready to be handed out (not counting delayed ones).
  virtual std::size_t len() const = 0;

  // Stops accepting keys and wakes every get() with nullopt.
  virtual void shutDown() = 0;
  // shutDown(), then blocks until every key handed out has been done().
  virtual void shutDownWithDrain() = 0;
  virtual bool shuttingDown() const = 0;
};

struct WorkQueueOptions {
  // Identifies the queue in metrics (labels name and controller).
  std::string name;
  // Not owned; must outlive the queue.
  const Clock* clock = nullptr;
  // Defaults to defaultControllerRateLimiter(*clock).
  std::unique_ptr<RateLimiter> rateLimiter;
  // workqueue_* metrics are registered here; none when null. Not owned.
  metrics::Registry* registry = nullptr;
};

std::unique_ptr<WorkQueue> makeWorkQueue(WorkQueueOptions options);

}  // namespace landlord::kube
