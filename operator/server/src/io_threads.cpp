// I/O threads that grow when handlers block them (see io_threads.h).
#include "io_threads.h"

#include <algorithm>
#include <condition_variable>

namespace landlord::kube::server {

IoThreads::IoThreads(boost::asio::io_context& io, int initial, int max,
                     std::chrono::milliseconds stall, Logger logger)
    : io_(io),
      initial_(std::max(1, initial)),
      max_(std::max(initial_, max)),
      stall_(stall),
      logger_(std::move(logger)) {}

void IoThreads::start() {
  for (int i = 0; i < initial_; ++i) {
    addThread();
  }
  if (max_ > initial_) {
    watcher_ = std::jthread([this](std::stop_token stop) { watch(stop); });
  }
}

IoThreads::~IoThreads() {
  stop();
}

IoThreads::HandlerRun::HandlerRun(IoThreads& threads) : threads_(threads) {
  std::lock_guard lock(threads_.mutex_);
  started_ = threads_.running_.insert(Clock::now());
}

IoThreads::HandlerRun::~HandlerRun() {
  std::lock_guard lock(threads_.mutex_);
  threads_.running_.erase(started_);
}

void IoThreads::stop() {
  if (watcher_.joinable()) {
    watcher_.request_stop();
    watcher_.join();
  }
  io_.stop();
  std::vector<std::jthread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  threads.clear();  // joins
}

int IoThreads::size() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(threads_.size());
}

void IoThreads::addThread() {
  std::lock_guard lock(mutex_);
  threads_.emplace_back([this] {
    while (true) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        logger_.error("I/O thread: {}", e.what());
      }
    }
  });
}

void IoThreads::watch(std::stop_token stop) {
  std::mutex sleepMutex;
  std::condition_variable_any sleeper;
  std::unique_lock sleepLock(sleepMutex);
  while (true) {
    sleeper.wait_for(sleepLock, stop, stall_, [] { return false; });
    if (stop.stop_requested()) {
      return;
    }
    int threads = 0;
    bool allStalled = false;
    {
      std::lock_guard lock(mutex_);
      threads = static_cast<int>(threads_.size());
      // Every thread is in a handler, and the latest of them began long ago.
      allStalled = !running_.empty() && static_cast<int>(running_.size()) >= threads &&
                   *running_.rbegin() < Clock::now() - stall_;
    }
    if (allStalled && threads < max_) {
      addThread();
      logger_.info("every I/O thread has been inside a handler for over {} ms: {} threads now",
                   stall_.count(), threads + 1);
      if (threads + 1 >= max_) {
        return;
      }
    }
  }
}

}  // namespace landlord::kube::server
