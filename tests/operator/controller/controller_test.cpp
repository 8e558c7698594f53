#include "landlord/operator/controller/controller.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <deque>
#include <functional>
#include <latch>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "landlord/operator/metrics/metrics.h"

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;

// Answers each reconcile with the next scripted behaviour.
class ScriptedReconciler final : public Reconciler {
 public:
  using Step = std::function<Result(ReconcileContext&, const Request&)>;
  explicit ScriptedReconciler(std::deque<Step>& steps, std::vector<Request>& seen)
      : steps_(steps), seen_(seen) {}
  Result reconcile(ReconcileContext& context, const Request& request) override {
    seen_.push_back(request);
    Step step = steps_.front();
    steps_.pop_front();
    return step(context, request);
  }

 private:
  std::deque<Step>& steps_;
  std::vector<Request>& seen_;
};

class ControllerTest : public ::testing::Test {
 protected:
  ControllerTest() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logText_);
    logger_ = std::make_shared<Logger>(
        makeSpdlogLogger("test", LogFormat::text, spdlog::level::debug, {sink}));
    ControllerOptions options;
    options.name = "gpupool";
    options.clock = &clock_;
    options.registry = &registry_;
    controller_ = std::make_unique<Controller>(
        std::move(options), std::make_unique<ScriptedReconciler>(steps_, seen_), *logger_);
  }

  std::string metric(const std::string& series) {
    const std::string text = metrics::exposition(registry_);
    const std::size_t at = text.find(series + " ");
    if (at == std::string::npos) {
      return "<absent>";
    }
    const std::size_t start = at + series.size() + 1;
    return text.substr(start, text.find('\n', start) - start);
  }

  FakeClock clock_;
  metrics::Registry registry_;
  std::ostringstream logText_;
  std::shared_ptr<Logger> logger_;
  std::deque<ScriptedReconciler::Step> steps_;
  std::vector<Request> seen_;
  std::unique_ptr<Controller> controller_;
};

TEST_F(ControllerTest, SuccessForgetsTheKey) {
  steps_.push_back([](auto&, auto&) { return Result::error("boom"); });
  steps_.push_back([](auto&, auto&) { return Result::success(); });
  controller_->enqueue({"tenant-a", "p1"});
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  EXPECT_EQ(controller_->queue().numRequeues("tenant-a/p1"), 1);
  clock_.step(5ms);
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  EXPECT_EQ(controller_->queue().numRequeues("tenant-a/p1"), 0);
  EXPECT_EQ(seen_, (std::vector<Request>{{"tenant-a", "p1"}, {"tenant-a", "p1"}}));
  EXPECT_EQ(metric("controller_runtime_reconcile_total{controller=\"gpupool\",result=\"success\"}"),
            "1");
  EXPECT_EQ(controller_->queue().len(), 0u);
}

TEST_F(ControllerTest, ErrorRequeuesWithExponentialBackoff) {
  for (int i = 0; i < 3; ++i) {
    steps_.push_back([](auto&, auto&) { return Result::error("api unavailable"); });
  }
  controller_->enqueue({"", "colossus-1"});
  ASSERT_TRUE(controller_->processNextWorkItem({}));  // fails: retry in 5 ms
  clock_.step(4ms);
  EXPECT_EQ(controller_->queue().len(), 0u);
  clock_.step(1ms);
  ASSERT_TRUE(controller_->processNextWorkItem({}));  // fails: retry in 10 ms
  clock_.step(9ms);
  controller_->queue().add("probe");
  EXPECT_EQ(controller_->queue().get(), "probe");
  controller_->queue().done("probe");
  clock_.step(1ms);
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  EXPECT_EQ(seen_.size(), 3u);
  EXPECT_EQ(controller_->queue().numRequeues("colossus-1"), 3);
  EXPECT_EQ(metric("controller_runtime_reconcile_errors_total{controller=\"gpupool\"}"), "3");
  EXPECT_EQ(metric("controller_runtime_reconcile_total{controller=\"gpupool\",result=\"error\"}"),
            "3");
  EXPECT_EQ(metric("controller_runtime_reconcile_panics_total{controller=\"gpupool\"}"), "0");
  EXPECT_NE(logText_.str().find("api unavailable"), std::string::npos);
}

TEST_F(ControllerTest, RequeueAfterWaitsTheGivenDelayWithoutBackoff) {
  steps_.push_back([](auto&, auto&) { return Result::requeueAfter(30s); });
  steps_.push_back([](auto&, auto&) { return Result::success(); });
  controller_->enqueue({"", "lease-1"});
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  EXPECT_EQ(controller_->queue().numRequeues("lease-1"), 0);
  clock_.step(29s);
  EXPECT_EQ(controller_->queue().len(), 0u);
  clock_.step(1s);
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  EXPECT_EQ(seen_.size(), 2u);
  EXPECT_EQ(
      metric("controller_runtime_reconcile_total{controller=\"gpupool\",result=\"requeue_after\"}"),
      "1");
}

TEST_F(ControllerTest, RequeueRetriesWithBackoffWithoutCountingAnError) {
  steps_.push_back([](auto&, auto&) { return Result::requeue(); });
  controller_->enqueue({"", "x"});
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  EXPECT_EQ(controller_->queue().numRequeues("x"), 1);
  EXPECT_EQ(metric("controller_runtime_reconcile_total{controller=\"gpupool\",result=\"requeue\"}"),
            "1");
  EXPECT_EQ(metric("controller_runtime_reconcile_errors_total{controller=\"gpupool\"}"), "0");
}

TEST_F(ControllerTest, ThrowingReconcilerIsCountedLoggedWithKeyAndRequeued) {
  steps_.push_back([](auto&, auto&) -> Result { throw std::runtime_error("nil deref"); });
  steps_.push_back([](auto&, auto&) -> Result { throw 42; });
  steps_.push_back([](auto&, auto&) { return Result::success(); });
  controller_->enqueue({"team-b", "train-1"});
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  clock_.step(5ms);
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  clock_.step(10ms);
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  EXPECT_EQ(seen_.size(), 3u);
  EXPECT_EQ(metric("controller_runtime_reconcile_panics_total{controller=\"gpupool\"}"), "2");
  EXPECT_EQ(metric("controller_runtime_reconcile_errors_total{controller=\"gpupool\"}"), "2");
  const std::string logs = logText_.str();
  const std::size_t line = logs.find("nil deref");
  ASSERT_NE(line, std::string::npos) << logs;
  const std::string thatLine =
      logs.substr(logs.rfind('\n', line) + 1, logs.find('\n', line) - logs.rfind('\n', line) - 1);
  EXPECT_NE(thatLine.find("key=\"team-b/train-1\""), std::string::npos) << thatLine;
  EXPECT_NE(thatLine.find("controller=\"gpupool\""), std::string::npos) << thatLine;
}

TEST_F(ControllerTest, EveryLogLineOfAReconcileCarriesTheKey) {
  steps_.push_back([](ReconcileContext& context, auto&) {
    context.log.info("first");
    context.log.warn("second {}", 2);
    return Result::success();
  });
  controller_->enqueue({"ns", "obj"});
  ASSERT_TRUE(controller_->processNextWorkItem({}));
  std::istringstream lines(logText_.str());
  int reconcileLines = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("first") != std::string::npos || line.find("second 2") != std::string::npos) {
      ++reconcileLines;
      EXPECT_NE(line.find("key=\"ns/obj\""), std::string::npos) << line;
      EXPECT_NE(line.find("reconcileID="), std::string::npos) << line;
    }
  }
  EXPECT_EQ(reconcileLines, 2);
}

TEST_F(ControllerTest, ExposesWorkerGauges) {
  EXPECT_EQ(metric("controller_runtime_max_concurrent_reconciles{controller=\"gpupool\"}"), "1");
  EXPECT_EQ(metric("controller_runtime_active_workers{controller=\"gpupool\"}"), "0");
  EXPECT_EQ(metric("workqueue_depth{controller=\"gpupool\",name=\"gpupool\"}"), "0");
}

// Blocks a reconcile until the test lets it finish.
class GatedReconciler final : public Reconciler {
 public:
  GatedReconciler(std::latch& entered, std::latch& release, std::atomic<int>& finished)
      : entered_(entered), release_(release), finished_(finished) {}
  Result reconcile(ReconcileContext& context, const Request&) override {
    entered_.count_down();
    release_.wait();
    EXPECT_TRUE(context.stop.stop_requested()) << "the reconcile sees the shutdown";
    ++finished_;
    return Result::success();
  }

 private:
  std::latch& entered_;
  std::latch& release_;
  std::atomic<int>& finished_;
};

TEST(ControllerShutdownTest, StopDrainsInFlightReconcilesAndTakesNoNewWork) {
  FakeClock clock;
  std::latch entered(2);
  std::latch release(1);
  std::atomic<int> finished{0};
  ControllerOptions options;
  options.name = "drain";
  options.clock = &clock;
  options.maxConcurrentReconciles = 2;
  Controller controller(std::move(options),
                        std::make_unique<GatedReconciler>(entered, release, finished),
                        Logger(makeSpdlogLogger("t", LogFormat::text, spdlog::level::off)));
  controller.enqueue({"", "a"});
  controller.enqueue({"", "b"});
  controller.enqueue({"", "c"});  // waits: both workers are busy
  std::stop_source stop;
  std::atomic<bool> returned{false};
  std::thread runner([&] {
    controller.run(stop.get_token());
    returned = true;
  });
  entered.wait();  // both workers are inside a reconcile
  stop.request_stop();
  EXPECT_FALSE(returned.load()) << "run() must wait for in-flight reconciles";
  release.count_down();
  runner.join();
  EXPECT_EQ(finished.load(), 2) << "in-flight reconciles finish; queued c is not started";
  EXPECT_TRUE(controller.queue().shuttingDown());
}

}  // namespace
}  // namespace landlord::kube
