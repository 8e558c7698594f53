#pragma once

#include <memory>
#include <stop_token>
#include <string>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/base/logging.h"
#include "landlord/operator/base/runnable.h"
#include "landlord/operator/controller/reconciler.h"
#include "landlord/operator/controller/workqueue.h"
#include "landlord/operator/flowcontrol/rate_limiter.h"

namespace landlord::kube {

namespace metrics {
class Registry;
}

struct ControllerOptions {
  std::string name;                          // labels metrics and logs; unique per process
  int maxConcurrentReconciles = 1;           // worker threads
  const Clock* clock = nullptr;              // not owned; required
  metrics::Registry* registry = nullptr;     // not owned; no metrics when null
  std::unique_ptr<RateLimiter> rateLimiter;  // defaultControllerRateLimiter when null
};

// Runs a Reconciler over the keys in its work queue with N workers: success
// forgets the key's backoff, error/requeue retry with backoff, requeueAfter
// retries after the given delay. A throwing reconcile is an error, never fatal.
class Controller final : public Runnable {
 public:
  // Throws std::invalid_argument for a missing clock or non-positive workers.
  Controller(ControllerOptions options, std::unique_ptr<Reconciler> reconciler, Logger logger);
  ~Controller() override;
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Event handlers (informers) call this; keys are de-duplicated.
  void enqueue(const Request& request);
  // Enqueues `request` once `delay` has passed; a request already waiting keeps
  // the earlier time, so repeated calls coalesce into one reconcile.
  void enqueueAfter(const Request& request, Clock::Duration delay);
  WorkQueue& queue();

  std::string name() const override;
  bool needsLeaderElection() const override { return true; }

  // Starts the workers; on stop, takes no new keys and returns once in-flight
  // reconciles have finished.
  void run(std::stop_token stop) override;

  // One key: waits for it, reconciles, records the outcome. Returns false once
  // the queue is shut down. run() calls it in a loop per worker; tests call it
  // directly.
  bool processNextWorkItem(std::stop_token stop);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace landlord::kube
