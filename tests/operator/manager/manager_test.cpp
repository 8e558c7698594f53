#include "landlord/operator/manager/manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;

Logger quietLogger() {
  return Logger(makeSpdlogLogger("t", LogFormat::text, spdlog::level::off));
}

// Records start/stop order in a shared journal.
class Journal {
 public:
  void record(const std::string& entry) {
    std::lock_guard lock(mutex_);
    entries_.push_back(entry);
    cv_.notify_all();
  }
  void awaitEntry(const std::string& entry) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock,
             [&] { return std::find(entries_.begin(), entries_.end(), entry) != entries_.end(); });
  }
  std::vector<std::string> entries() const {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> entries_;  // guarded by mutex_
};

class RecordingRunnable final : public Runnable {
 public:
  RecordingRunnable(std::string name, bool leaderOnly, Journal& journal)
      : name_(std::move(name)), leaderOnly_(leaderOnly), journal_(journal) {}
  std::string name() const override { return name_; }
  bool needsLeaderElection() const override { return leaderOnly_; }
  void run(std::stop_token stop) override {
    journal_.record(name_ + " started");
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait(lock, stop, [] { return false; });
    journal_.record(name_ + " stopped");
  }

 private:
  std::string name_;
  bool leaderOnly_;
  Journal& journal_;
};

// An election the test drives: lead() and lose() from the test thread.
class ScriptedElection final : public Election {
 public:
  explicit ScriptedElection(Journal& journal) : journal_(journal) {}
  void run(std::stop_token stop, std::function<void()> onStartedLeading,
           std::function<void()> onStoppedLeading) override {
    journal_.record("campaigning");
    std::unique_lock lock(mutex_);
    while (true) {
      cv_.wait(lock, stop, [&] { return command_ != Command::none; });
      if (stop.stop_requested()) {
        lock.unlock();
        onStoppedLeading();
        journal_.record("lease released");
        return;
      }
      const Command command = std::exchange(command_, Command::none);
      lock.unlock();
      if (command == Command::lead) {
        onStartedLeading();
      } else if (command == Command::loseWhileARenewalHangs) {
        onStoppedLeading();
        lock.lock();
        cv_.wait(lock, stop, [] { return false; });  // until the manager gives up on it
        return;
      } else {
        onStoppedLeading();
        return;
      }
      lock.lock();
    }
  }
  void lead() { send(Command::lead); }
  void lose() { send(Command::lose); }
  void loseWhileARenewalHangs() { send(Command::loseWhileARenewalHangs); }

 private:
  enum class Command { none, lead, lose, loseWhileARenewalHangs };
  void send(Command command) {
    std::lock_guard lock(mutex_);
    command_ = command;
    cv_.notify_all();
  }
  Journal& journal_;
  std::mutex mutex_;
  std::condition_variable_any cv_;
  Command command_ = Command::none;  // guarded by mutex_
};

struct ManagerHarness {
  explicit ManagerHarness(bool withElection) {
    ManagerOptions options;
    options.clock = &clock;
    options.gracefulShutdownTimeout = 30s;
    if (withElection) {
      auto scripted = std::make_unique<ScriptedElection>(journal);
      election = scripted.get();
      options.election = std::move(scripted);
    }
    manager = std::make_unique<Manager>(std::move(options), quietLogger());
    manager->add(std::make_unique<RecordingRunnable>("cache", false, journal));
    manager->add(std::make_unique<RecordingRunnable>("controller", true, journal));
  }
  void start() {
    runner = std::jthread([this] { exit = manager->run(stop.get_token()); });
  }
  FakeClock clock;
  Journal journal;
  ScriptedElection* election = nullptr;
  std::unique_ptr<Manager> manager;
  std::stop_source stop;
  std::optional<ManagerExit> exit;
  std::jthread runner;
};

TEST(ManagerTest, LeaderOnlyRunnablesWaitForLeadershipAndStopBeforeTheLeaseIsReleased) {
  ManagerHarness h(true);
  h.start();
  h.journal.awaitEntry("cache started");
  h.journal.awaitEntry("campaigning");
  EXPECT_TRUE(h.manager->electionRunning());
  EXPECT_FALSE(h.manager->leading());
  const auto before = h.journal.entries();
  EXPECT_EQ(std::count(before.begin(), before.end(), "controller started"), 0);
  h.election->lead();
  h.journal.awaitEntry("controller started");
  EXPECT_TRUE(h.manager->leading());
  h.stop.request_stop();
  h.runner.join();
  EXPECT_EQ(h.exit, ManagerExit::stopped);
  const auto entries = h.journal.entries();
  const auto at = [&](const std::string& e) {
    return std::find(entries.begin(), entries.end(), e) - entries.begin();
  };
  EXPECT_LT(at("controller stopped"), at("lease released"));
  EXPECT_LT(at("lease released"), at("cache stopped"));
  EXPECT_FALSE(h.manager->electionRunning());
}

TEST(ManagerTest, LosingLeadershipStopsControllersAtOnceAndReportsIt) {
  ManagerHarness h(true);
  h.start();
  h.election->lead();
  h.journal.awaitEntry("controller started");
  h.election->lose();
  h.runner.join();
  EXPECT_EQ(h.exit, ManagerExit::leadershipLost);
  h.journal.awaitEntry("controller stopped");
  EXPECT_FALSE(h.manager->leading());
}

TEST(ManagerTest, LeadershipLostIsReportedWithoutWaitingForTheElectionToReturn) {
  ManagerHarness h(true);
  h.start();
  h.election->lead();
  h.journal.awaitEntry("controller started");
  h.election->loseWhileARenewalHangs();
  h.runner.join();  // would hang here if run() waited for the election's return
  EXPECT_EQ(h.exit, ManagerExit::leadershipLost);
  h.journal.awaitEntry("controller stopped");
  EXPECT_FALSE(h.manager->leading());
}

TEST(ManagerTest, WithoutElectionEverythingStartsAtOnce) {
  ManagerHarness h(false);
  h.start();
  h.journal.awaitEntry("cache started");
  h.journal.awaitEntry("controller started");
  EXPECT_TRUE(h.manager->electionRunning());
  h.stop.request_stop();
  h.runner.join();
  EXPECT_EQ(h.exit, ManagerExit::stopped);
}

class FailingRunnable final : public Runnable {
 public:
  std::string name() const override { return "broken"; }
  bool needsLeaderElection() const override { return false; }
  void run(std::stop_token) override { throw std::runtime_error("cannot bind :8080"); }
};

TEST(ManagerTest, AFailingRunnableStopsTheProcess) {
  ManagerHarness h(false);
  h.manager->add(std::make_unique<FailingRunnable>());
  h.start();
  h.runner.join();
  EXPECT_EQ(h.exit, ManagerExit::runnableFailed);
  h.journal.awaitEntry("controller stopped");
}

// Ignores its stop request until released.
class StuckRunnable final : public Runnable {
 public:
  explicit StuckRunnable(std::latch& release) : release_(release) {}
  std::string name() const override { return "stuck"; }
  bool needsLeaderElection() const override { return true; }
  void run(std::stop_token) override { release_.wait(); }

 private:
  std::latch& release_;
};

TEST(ManagerTest, GracefulShutdownGivesUpAfterTheTimeout) {
  std::latch release(1);
  ManagerHarness h(false);
  h.manager->add(std::make_unique<StuckRunnable>(release));
  h.start();
  h.journal.awaitEntry("controller started");
  h.stop.request_stop();
  while (h.clock.waiters() == 0) {
    std::this_thread::yield();  // the manager is parked on the grace deadline
  }
  h.clock.step(30s);
  h.runner.join();
  EXPECT_EQ(h.exit, ManagerExit::shutdownTimedOut);
  release.count_down();
}

}  // namespace
}  // namespace landlord::kube
