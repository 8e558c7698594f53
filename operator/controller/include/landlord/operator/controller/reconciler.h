#pragma once

#include <stop_token>
#include <string>
#include <string_view>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/base/logging.h"

namespace landlord::kube {

// Names the object to reconcile; `ns` is empty for cluster-scoped objects.
struct Request {
  std::string ns;
  std::string name;

  // "ns/name", or "name" when cluster-scoped: the work queue key.
  std::string key() const { return ns.empty() ? name : ns + "/" + name; }
  static Request fromKey(std::string_view key);

  friend bool operator==(const Request&, const Request&) = default;
};

// What a reconcile asks the controller to do next.
class Result {
 public:
  enum class Kind {
    success,       // converged: forget the key's backoff
    requeue,       // not converged, no error: retry with backoff
    requeueAfter,  // look again after a fixed delay (e.g. to poll progress)
    error,         // failed: retry with backoff, counted as an error
  };

  static Result success() { return Result(Kind::success, {}, {}); }
  static Result requeue() { return Result(Kind::requeue, {}, {}); }
  static Result requeueAfter(Clock::Duration delay) {
    return Result(Kind::requeueAfter, delay, {});
  }
  static Result error(std::string message) { return Result(Kind::error, {}, std::move(message)); }

  Kind kind() const { return kind_; }
  Clock::Duration delay() const { return delay_; }
  const std::string& message() const { return message_; }

 private:
  Result(Kind kind, Clock::Duration delay, std::string message)
      : kind_(kind), delay_(delay), message_(std::move(message)) {}

  Kind kind_;
  Clock::Duration delay_;
  std::string message_;
};

// What a reconcile gets besides the key, as controller-runtime's context.
struct ReconcileContext {
  // Carries controller, key and reconcileID on every line.
  const Logger& log;
  // Requested when the process is shutting down or lost leadership: a long
  // reconcile should return early (its key is retried by the next leader).
  std::stop_token stop;
};

// Makes the world match the desired state of one object. Level-triggered:
// reads current state, never trusts the event that queued the key. May throw;
// a throw is logged, counted and retried with backoff like an error.
class Reconciler {
 public:
  virtual ~Reconciler() = default;
  virtual Result reconcile(ReconcileContext& context, const Request& request) = 0;
};

}  // namespace landlord::kube
