#pragma once

// Owns the process's runnables (caches, controllers, servers) and their
// lifecycle, as controller-runtime's manager: everything starts together;
// runnables that act on the cluster start only once this replica leads; on
// stop, the leader-only runnables stop first (in-flight reconciles finish),
// then the lease is released, then caches and servers stop, all within the
// graceful-shutdown timeout. Losing leadership stops acting at once.

#include <functional>
#include <memory>
#include <stop_token>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/base/logging.h"
#include "landlord/operator/base/runnable.h"

namespace landlord::kube {

// A campaign for leadership, as the manager needs it.
class Election {
 public:
  virtual ~Election() = default;
  // Blocks until `stop` is requested (releasing leadership if held) or until
  // leadership is lost. Calls onStartedLeading when this replica starts
  // leading and onStoppedLeading when it stops.
  virtual void run(std::stop_token stop, std::function<void()> onStartedLeading,
                   std::function<void()> onStoppedLeading) = 0;
};

enum class ManagerExit {
  stopped,           // stop was requested and everything stopped in time
  leadershipLost,    // this replica stopped leading without being asked
  runnableFailed,    // a runnable threw
  shutdownTimedOut,  // something did not stop within the graceful-shutdown timeout
};

const char* toString(ManagerExit exit);

struct ManagerOptions {
  const Clock* clock = nullptr;  // not owned; required
  Clock::Duration gracefulShutdownTimeout = std::chrono::seconds(30);
  // Null: no leader election; leader-only runnables start at once.
  std::unique_ptr<Election> election;
};

class Manager {
 public:
  Manager(ManagerOptions options, Logger logger);
  // Stops and joins whatever still runs. After run() returned anything but
  // `stopped`, a runnable may ignore its stop request: exit the process
  // (std::_Exit) instead of destroying the manager.
  ~Manager();
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  // Before run(). Returns the runnable, which the manager owns.
  Runnable& add(std::unique_ptr<Runnable> runnable);
  template <typename T>
  T& add(std::unique_ptr<T> runnable) {
    T& ref = *runnable;
    add(std::unique_ptr<Runnable>(std::move(runnable)));
    return ref;
  }

  // Blocks until `stop`, leadership loss or a runnable failure, then shuts
  // down as described above. Call once.
  ManagerExit run(std::stop_token stop);

  // Readiness: whether the election is campaigning or leading (true when
  // there is no election).
  bool electionRunning() const;
  bool leading() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace landlord::kube
