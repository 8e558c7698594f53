#pragma once

#include <stop_token>
#include <string>

namespace landlord::kube {

// Something the Manager starts and stops: a cache, a controller, a server.
class Runnable {
 public:
  virtual ~Runnable() = default;

  virtual std::string name() const = 0;

  // Runnables that act on the cluster (controllers) run only while this
  // process leads; caches and servers run on every replica.
  virtual bool needsLeaderElection() const = 0;

  // Blocks until `stop` is requested, then winds down and returns. Throwing
  // means the runnable failed, and the manager stops the process.
  virtual void run(std::stop_token stop) = 0;
};

}  // namespace landlord::kube
