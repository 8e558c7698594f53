#include "landlord/operator/manager/signals.h"

#include <pthread.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace landlord::kube {

namespace {

// Sent by the destructor to wake the waiter; never delivered to a handler
// because the waiter collects it with sigwait().
constexpr int kWakeSignal = SIGUSR2;

}  // namespace

SignalStopper::SignalStopper(Logger logger) : logger_(std::move(logger)) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGTERM);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, kWakeSignal);
  if (const int rc = pthread_sigmask(SIG_BLOCK, &signals_, &previousMask_); rc != 0) {
    throw std::runtime_error(std::string("cannot block termination signals: ") + std::strerror(rc));
  }
  // A shell starts background jobs with SIGINT ignored, and an ignored signal
  // is discarded before sigwait() can collect it: restore the default action
  // (harmless while the signal is blocked).
  struct sigaction defaultAction {};
  defaultAction.sa_handler = SIG_DFL;
  sigaction(SIGINT, &defaultAction, &previousSigint_);
  sigaction(SIGTERM, &defaultAction, &previousSigterm_);
  waiter_ = std::jthread([this](std::stop_token stop) { wait(stop); });
}

SignalStopper::~SignalStopper() {
  waiter_.request_stop();
  pthread_kill(waiter_.native_handle(), kWakeSignal);
  waiter_.join();
  sigaction(SIGINT, &previousSigint_, nullptr);
  sigaction(SIGTERM, &previousSigterm_, nullptr);
  pthread_sigmask(SIG_SETMASK, &previousMask_, nullptr);
}

void SignalStopper::wait(std::stop_token stop) {
  bool stopping = false;
  while (true) {
    int received = 0;
    if (sigwait(&signals_, &received) != 0) {
      continue;
    }
    if (received == kWakeSignal) {
      if (stop.stop_requested()) {
        return;
      }
      continue;
    }
    if (stopping) {
      logger_.error("received {} again: exiting without waiting for shutdown",
                    sigabbrev_np(received));
      logger_.flush();
      std::_Exit(1);
    }
    stopping = true;
    logger_.info("received {}: shutting down", sigabbrev_np(received));
    source_.request_stop();
  }
}

}  // namespace landlord::kube
