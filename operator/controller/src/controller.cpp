#include "landlord/operator/controller/controller.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

#include "landlord/operator/controller/controller_metrics.h"
#include "landlord/operator/metrics/metrics.h"

namespace landlord::kube {

Request Request::fromKey(std::string_view key) {
  const std::size_t slash = key.find('/');
  if (slash == std::string_view::npos) {
    return Request{"", std::string(key)};
  }
  return Request{std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

namespace {

// The per-controller children of the controller_runtime_* families.
struct ReconcileMetrics {
  ReconcileMetrics(prometheus::Registry& registry, const std::string& controller)
      : families(registry),
        success(families.reconcileTotal.Add({{"controller", controller}, {"result", "success"}})),
        error(families.reconcileTotal.Add({{"controller", controller}, {"result", "error"}})),
        requeue(families.reconcileTotal.Add({{"controller", controller}, {"result", "requeue"}})),
        requeueAfter(
            families.reconcileTotal.Add({{"controller", controller}, {"result", "requeue_after"}})),
        errors(families.reconcileErrors.Add({{"controller", controller}})),
        panics(families.reconcilePanics.Add({{"controller", controller}})),
        time(families.reconcileTime.Add({{"controller", controller}}, reconcileTimeBuckets())),
        maxConcurrent(families.maxConcurrentReconciles.Add({{"controller", controller}})),
        activeWorkers(families.activeWorkers.Add({{"controller", controller}})) {}

  ControllerMetricFamilies families;
  prometheus::Counter& success;
  prometheus::Counter& error;
  prometheus::Counter& requeue;
  prometheus::Counter& requeueAfter;
  prometheus::Counter& errors;
  prometheus::Counter& panics;
  prometheus::Histogram& time;
  prometheus::Gauge& maxConcurrent;
  prometheus::Gauge& activeWorkers;
};

// Runs the reconciler and turns a throw into an error result.
struct Outcome {
  Result result;
  bool threw = false;
};

Outcome reconcileCatchingThrows(Reconciler& reconciler, ReconcileContext& context,
                                const Request& request) {
  try {
    return Outcome{reconciler.reconcile(context, request), false};
  } catch (const std::exception& e) {
    return Outcome{Result::error(std::string("reconciler threw: ") + e.what()), true};
  } catch (...) {
    return Outcome{Result::error("reconciler threw a non-standard exception"), true};
  }
}

}  // namespace

class Controller::Impl {
 public:
  Impl(ControllerOptions options, std::unique_ptr<Reconciler> reconciler, Logger logger)
      : name_(options.name),
        workers_(options.maxConcurrentReconciles),
        clock_(*options.clock),
        reconciler_(std::move(reconciler)),
        logger_(logger.withValues({{"controller", options.name}})) {
    if (options.registry == nullptr) {
      // Unexported metrics keep the bookkeeping unconditional.
      ownRegistry_ = std::make_unique<metrics::Registry>();
      options.registry = ownRegistry_.get();
    }
    metrics_ = std::make_unique<ReconcileMetrics>(*options.registry, name_);
    metrics_->maxConcurrent.Set(workers_);
    WorkQueueOptions queueOptions;
    queueOptions.name = name_;
    queueOptions.clock = options.clock;
    queueOptions.rateLimiter = std::move(options.rateLimiter);
    queueOptions.registry = options.registry;
    queue_ = makeWorkQueue(std::move(queueOptions));
  }

  void run(std::stop_token stop) {
    logger_.info("starting {} workers", workers_);
    {
      // Stop taking keys as soon as stop is requested; in-flight reconciles
      // finish and the workers' loops end.
      std::stop_callback onStop(stop, [this] { queue_->shutDown(); });
      std::vector<std::jthread> workers;
      workers.reserve(static_cast<std::size_t>(workers_));
      for (int i = 0; i < workers_; ++i) {
        workers.emplace_back([this, stop] {
          while (processNextWorkItem(stop)) {
          }
        });
      }
    }  // joins the workers
    logger_.info("all workers finished");
  }

  bool processNextWorkItem(std::stop_token stop) {
    const std::optional<std::string> key = queue_->get();
    if (!key) {
      return false;
    }
    metrics_->activeWorkers.Increment();
    const Request request = Request::fromKey(*key);
    const Logger log = logger_.withValues(
        {{"key", *key}, {"reconcileID", std::to_string(nextReconcileId_.fetch_add(1))}});
    ReconcileContext context{log, stop};
    const Clock::TimePoint started = clock_.now();
    const Outcome outcome = reconcileCatchingThrows(*reconciler_, context, request);
    metrics_->time.Observe(std::chrono::duration<double>(clock_.now() - started).count());
    record(*key, outcome, log);
    queue_->done(*key);
    metrics_->activeWorkers.Decrement();
    return true;
  }

  void record(const std::string& key, const Outcome& outcome, const Logger& log) {
    const Result& result = outcome.result;
    switch (result.kind()) {
      case Result::Kind::success:
        queue_->forget(key);
        metrics_->success.Increment();
        log.debug("reconciled");
        break;
      case Result::Kind::requeue:
        queue_->addRateLimited(key);
        metrics_->requeue.Increment();
        log.debug("requeued with backoff");
        break;
      case Result::Kind::requeueAfter:
        queue_->forget(key);
        queue_->addAfter(key, result.delay());
        metrics_->requeueAfter.Increment();
        log.debug("requeued after {}ms",
                  std::chrono::duration_cast<std::chrono::milliseconds>(result.delay()).count());
        break;
      case Result::Kind::error:
        queue_->addRateLimited(key);
        metrics_->error.Increment();
        metrics_->errors.Increment();
        if (outcome.threw) {
          metrics_->panics.Increment();
        }
        log.error("reconcile failed, retrying with backoff: {}", result.message());
        break;
    }
  }

  const std::string name_;
  const int workers_;
  const Clock& clock_;
  std::unique_ptr<Reconciler> reconciler_;
  const Logger logger_;
  std::unique_ptr<metrics::Registry> ownRegistry_;  // when no registry was given
  std::unique_ptr<ReconcileMetrics> metrics_;
  std::unique_ptr<WorkQueue> queue_;
  std::atomic<std::uint64_t> nextReconcileId_{1};
};

Controller::Controller(ControllerOptions options, std::unique_ptr<Reconciler> reconciler,
                       Logger logger) {
  if (options.clock == nullptr) {
    throw std::invalid_argument("controller " + options.name + ": a clock is required");
  }
  if (options.maxConcurrentReconciles < 1) {
    throw std::invalid_argument("controller " + options.name +
                                ": maxConcurrentReconciles must be at least 1");
  }
  if (!reconciler) {
    throw std::invalid_argument("controller " + options.name + ": a reconciler is required");
  }
  impl_ = std::make_unique<Impl>(std::move(options), std::move(reconciler), std::move(logger));
}

Controller::~Controller() = default;

void Controller::enqueue(const Request& request) {
  impl_->queue_->add(request.key());
}
void Controller::enqueueAfter(const Request& request, Clock::Duration delay) {
  impl_->queue_->addAfter(request.key(), delay);
}
WorkQueue& Controller::queue() {
  return *impl_->queue_;
}
std::string Controller::name() const {
  return impl_->name_;
}
void Controller::run(std::stop_token stop) {
  impl_->run(std::move(stop));
}
bool Controller::processNextWorkItem(std::stop_token stop) {
  return impl_->processNextWorkItem(std::move(stop));
}

}  // namespace landlord::kube
