#pragma once

// The threads of one EndpointServer. They run its io_context, and handlers
// run on them inline: no hand-off to another thread, so an answer costs one
// thread wake-up (a hand-off to a handler pool and back tripled the p99 on
// two cores). A handler that blocks, say on the API server, would stall every
// connection with it; so a watcher adds a thread whenever every thread has
// been inside one handler for longer than `stall`, up to `max`.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <stop_token>
#include <thread>
#include <vector>

#include "landlord/operator/base/logging.h"

namespace landlord::kube::server {

class IoThreads {
 public:
  using Clock = std::chrono::steady_clock;

  IoThreads(boost::asio::io_context& io, int initial, int max, std::chrono::milliseconds stall,
            Logger logger);
  // Stops and joins, if stop() has not.
  ~IoThreads();
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  // Marks one handler's run, from construction to destruction.
  class HandlerRun {
   public:
    explicit HandlerRun(IoThreads& threads);
    ~HandlerRun();
    HandlerRun(const HandlerRun&) = delete;
    HandlerRun& operator=(const HandlerRun&) = delete;

   private:
    IoThreads& threads_;
    std::multiset<Clock::time_point>::iterator started_;
  };

  // Starts the initial threads and the watcher.
  void start();
  // Stops the watcher and the io_context, and joins every thread.
  void stop();
  int size() const;

 private:
  void addThread();
  void watch(std::stop_token stop);

  boost::asio::io_context& io_;
  const int initial_;
  const int max_;
  const std::chrono::milliseconds stall_;
  const Logger logger_;
  mutable std::mutex mutex_;
  std::multiset<Clock::time_point> running_;  // guarded by mutex_; handler start times
  std::vector<std::jthread> threads_;         // guarded by mutex_
  std::jthread watcher_;
};

}  // namespace landlord::kube::server
