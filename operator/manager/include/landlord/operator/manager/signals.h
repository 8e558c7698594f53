#pragma once

// Turns SIGTERM/SIGINT into a stop request. The signals are blocked in every
// thread and collected by one sigwait() thread owned by this object, so no
// async-signal handler and no global state are involved. A second signal
// exits at once with status 1, as controller-runtime does.
//
// Construct it first in main(), before any other thread exists: threads
// inherit the signal mask of the thread that creates them.

#include <signal.h>

#include <stop_token>
#include <thread>

#include "landlord/operator/base/logging.h"

namespace landlord::kube {

class SignalStopper {
 public:
  explicit SignalStopper(Logger logger);
  ~SignalStopper();
  SignalStopper(const SignalStopper&) = delete;
  SignalStopper& operator=(const SignalStopper&) = delete;

  // Requested on the first SIGTERM or SIGINT.
  std::stop_token token() const { return source_.get_token(); }
  // Lets other parts of the process (leadership lost, a failed runnable)
  // request the same stop.
  std::stop_source& source() { return source_; }

 private:
  void wait(std::stop_token stop);

  const Logger logger_;
  sigset_t signals_{};
  sigset_t previousMask_{};
  struct sigaction previousSigint_ {};
  struct sigaction previousSigterm_ {};
  std::stop_source source_;
  std::jthread waiter_;
};

}  // namespace landlord::kube
