#include "landlord/operator/leaderelection/leader_election.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "landlord/operator/base/time_format.h"

namespace landlord::kube {
namespace {

using nlohmann::json;

std::string holderOf(const json& lease) {
  const json& spec = lease.value("spec", json::object());
  auto holder = spec.find("holderIdentity");
  return holder != spec.end() && holder->is_string() ? holder->get<std::string>() : "";
}

}  // namespace

class LeaderElector::State {
 public:
  State(Client& client, LeaderElectionConfig config, LeaderCallbacks callbacks, const Clock& clock,
        LeadershipObserver* observer)
      : client(client),
        config(std::move(config)),
        callbacks(std::move(callbacks)),
        clock(clock),
        observer(observer) {}

  Client& client;
  const LeaderElectionConfig config;
  const LeaderCallbacks callbacks;
  const Clock& clock;
  LeadershipObserver* const observer;

  // Serialises leadership transitions and their callbacks. Taken before mutex.
  std::mutex transitionMutex;

  mutable std::mutex mutex;
  std::condition_variable changed;  // leadership, renewals or stop
  bool leading = false;             // guarded by mutex
  bool lost = false;                // guarded by mutex; once lost, never leads again
  Clock::TimePoint lastRenew{};     // guarded by mutex; start of the last successful write
  json observedSpec;                // guarded by mutex; lease spec last seen
  std::string observedHolder;       // guarded by mutex
  Clock::TimePoint observedTime{};  // guarded by mutex; when observedSpec last changed
  // The holder's own spec.leaseDurationSeconds, as client-go judges expiry; the
  // local leaseDuration when the lease does not say.
  Clock::Duration observedDuration{};  // guarded by mutex
  bool stopping = false;               // guarded by mutex

  std::string name() const { return config.leaseNamespace + "/" + config.leaseName; }

  json leaseSpec(const json& previous, bool acquiring) const {
    json spec = previous.is_object() ? previous : json::object();
    std::string now = microTimeNow();
    spec["holderIdentity"] = config.identity;
    spec["leaseDurationSeconds"] = std::max<int64_t>(
        1, std::chrono::duration_cast<std::chrono::seconds>(config.leaseDuration).count());
    spec["renewTime"] = now;
    if (acquiring) {
      spec["acquireTime"] = now;
      // A new holder is a transition; creating the lease is not.
      int transitions = spec.value("leaseTransitions", 0);
      spec["leaseTransitions"] = previous.is_object() ? transitions + 1 : transitions;
    }
    return spec;
  }

  Clock::Duration durationOf(const json& spec) const {
    const auto seconds = spec.find("leaseDurationSeconds");
    if (seconds != spec.end() && seconds->is_number_integer() && seconds->get<std::int64_t>() > 0) {
      return std::chrono::seconds(seconds->get<std::int64_t>());
    }
    return config.leaseDuration;
  }

  void observe(const json& spec) {
    std::string holder = holderOf(json{{"spec", spec}});
    bool newLeader = false;
    {
      std::lock_guard lock(mutex);
      if (spec != observedSpec) {
        observedSpec = spec;
        observedTime = clock.now();
        observedDuration = durationOf(spec);
        newLeader = holder != observedHolder;
        observedHolder = holder;
      }
    }
    if (newLeader && !holder.empty() && callbacks.onNewLeader) {
      callbacks.onNewLeader(holder);
    }
  }

  void becomeLeader() {
    std::lock_guard transition(transitionMutex);
    {
      std::lock_guard lock(mutex);
      if (leading || lost) {
        return;
      }
      leading = true;
    }
    changed.notify_all();
    spdlog::info("leader election {}: {} acquired the lease and now leads", name(),
                 config.identity);
    if (observer != nullptr) {
      observer->leadershipChanged(config.leaseName, true);
    }
    if (callbacks.onStartedLeading) {
      callbacks.onStartedLeading();
    }
  }

  void stopLeading(const std::string& why, bool markLost) {
    std::lock_guard transition(transitionMutex);
    {
      std::lock_guard lock(mutex);
      if (markLost) {
        lost = true;
      }
      if (!leading) {
        return;
      }
      leading = false;
    }
    changed.notify_all();
    spdlog::warn("leader election {}: {} stops leading: {}", name(), config.identity, why);
    if (observer != nullptr) {
      observer->leadershipChanged(config.leaseName, false);
    }
    if (callbacks.onStoppedLeading) {
      callbacks.onStoppedLeading();
    }
  }

  // Loses leadership when no write succeeded within renewDeadline.
  void checkRenewDeadline() {
    bool expired = false;
    {
      std::lock_guard lock(mutex);
      expired = leading && clock.now() - lastRenew >= config.renewDeadline;
    }
    if (expired) {
      stopLeading("no renewal succeeded within the renew deadline", true);
    }
  }

  bool attempt() {
    const Clock::TimePoint started = clock.now();
    const auto leases = resources::leases();
    json lease;
    try {
      lease = client.get(leases, config.leaseNamespace, config.leaseName);
    } catch (const NotFoundError&) {
      json fresh = {
          {"apiVersion", "coordination.k8s.io/v1"},
          {"kind", "Lease"},
          {"metadata", {{"name", config.leaseName}, {"namespace", config.leaseNamespace}}},
          {"spec", leaseSpec(json(), true)}};
      try {
        json created = client.create(leases, config.leaseNamespace, fresh);
        observe(created.value("spec", json::object()));
        recordRenew(started);
        return true;
      } catch (const std::exception& error) {
        spdlog::debug("leader election {}: creating the lease failed: {}", name(), error.what());
        return false;
      }
    } catch (const std::exception& error) {
      spdlog::warn("leader election {}: reading the lease failed: {}", name(), error.what());
      return false;
    }

    json spec = lease.value("spec", json::object());
    observe(spec);
    std::string holder = holderOf(lease);
    bool mine = holder == config.identity;
    if (!mine && !holder.empty()) {
      bool wasLeading = false;
      bool expired = false;
      {
        std::lock_guard lock(mutex);
        wasLeading = leading;
        expired = clock.now() >= observedTime + observedDuration;
      }
      if (wasLeading) {
        // Someone else holds the lease: this process is not leading.
        stopLeading("the lease is now held by '" + holder + "'", true);
        return false;
      }
      if (!expired) {
        return false;
      }
    }
    json updated = lease;
    updated["spec"] = leaseSpec(spec, !mine);
    try {
      json written = client.update(leases, updated);
      observe(written.value("spec", json::object()));
      recordRenew(started);
      return true;
    } catch (const ConflictError&) {
      spdlog::debug("leader election {}: lost a race for the lease", name());
      return false;
    } catch (const std::exception& error) {
      spdlog::warn("leader election {}: writing the lease failed: {}", name(), error.what());
      return false;
    }
  }

  void recordRenew(Clock::TimePoint started) {
    std::lock_guard lock(mutex);
    if (!lost) {
      lastRenew = started;
    }
  }

  // How long run() waits before the next attempt: the retry period, or less
  // when another holder's lease expires sooner, so a dead leader is replaced
  // within its lease duration + retryPeriod of its last renewal being observed.
  Clock::Duration nextAttemptDelay() const {
    std::lock_guard lock(mutex);
    Clock::Duration delay = config.retryPeriod;
    if (!leading && !observedHolder.empty() && observedHolder != config.identity) {
      Clock::Duration untilExpiry = observedTime + observedDuration - clock.now();
      delay = std::clamp<Clock::Duration>(untilExpiry + std::chrono::milliseconds(5),
                                          std::chrono::milliseconds(5), delay);
    }
    return delay;
  }
};

LeaderElector::LeaderElector(Client& client, LeaderElectionConfig config, LeaderCallbacks callbacks,
                             const Clock& clock, LeadershipObserver* observer) {
  if (config.leaseName.empty() || config.leaseNamespace.empty() || config.identity.empty()) {
    throw std::invalid_argument("leader election needs a lease name, namespace and identity");
  }
  if (config.renewDeadline >= config.leaseDuration) {
    throw std::invalid_argument(
        "leader election: renewDeadline must be shorter than leaseDuration");
  }
  if (config.retryPeriod >= config.renewDeadline) {
    throw std::invalid_argument("leader election: retryPeriod must be shorter than renewDeadline");
  }
  state_ =
      std::make_unique<State>(client, std::move(config), std::move(callbacks), clock, observer);
}

LeaderElector::~LeaderElector() = default;

bool LeaderElector::tryAcquireOrRenew() {
  State& s = *state_;
  {
    std::lock_guard lock(s.mutex);
    if (s.lost) {
      return false;
    }
  }
  if (s.attempt()) {
    s.becomeLeader();
  } else {
    s.checkRenewDeadline();
  }
  return isLeader();
}

void LeaderElector::run(std::stop_token stop) {
  State& s = *state_;
  std::stop_callback onStop(stop, [&s] {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
    s.changed.notify_all();
  });
  // The watchdog ends leadership at the renew deadline even while a renewal
  // request hangs, so this process stops acting before the lease can expire.
  std::jthread watchdog([&s](std::stop_token watchdogStop) {
    std::stop_callback wake(watchdogStop, [&s] {
      std::lock_guard lock(s.mutex);
      s.changed.notify_all();
    });
    while (!watchdogStop.stop_requested()) {
      {
        std::unique_lock lock(s.mutex);
        Clock::TimePoint deadline =
            s.leading ? s.lastRenew + s.config.renewDeadline : s.clock.now() + s.config.retryPeriod;
        if (!watchdogStop.stop_requested()) {
          s.clock.waitUntil(lock, s.changed, deadline);
        }
      }
      s.checkRenewDeadline();
    }
  });

  while (true) {
    tryAcquireOrRenew();
    std::unique_lock lock(s.mutex);
    if (s.lost || s.stopping) {
      break;
    }
    Clock::TimePoint next = s.clock.now();
    lock.unlock();
    next += s.nextAttemptDelay();
    lock.lock();
    while (!s.stopping && !s.lost && s.clock.now() < next) {
      s.clock.waitUntil(lock, s.changed, next);
    }
    if (s.lost || s.stopping) {
      break;
    }
  }
  watchdog.request_stop();
  watchdog.join();
  if (isLeader()) {
    if (s.config.releaseOnCancel) {
      release();
    } else {
      s.stopLeading("shutting down", false);
    }
  }
}

bool LeaderElector::release() {
  State& s = *state_;
  if (!isLeader()) {
    return false;
  }
  bool released = false;
  try {
    json lease = s.client.get(resources::leases(), s.config.leaseNamespace, s.config.leaseName);
    if (holderOf(lease) == s.config.identity) {
      lease["spec"]["holderIdentity"] = nullptr;
      lease["spec"]["leaseDurationSeconds"] = 1;
      lease["spec"]["renewTime"] = microTimeNow();
      lease["spec"].erase("acquireTime");
      s.client.update(resources::leases(), lease);
      released = true;
    }
  } catch (const std::exception& error) {
    spdlog::warn("leader election {}: releasing the lease failed: {}", s.name(), error.what());
  }
  s.stopLeading(released ? "released the lease" : "shutting down", true);
  return released;
}

bool LeaderElector::isLeader() const {
  std::lock_guard lock(state_->mutex);
  return state_->leading;
}

std::string LeaderElector::observedLeader() const {
  std::lock_guard lock(state_->mutex);
  return state_->observedHolder;
}

const LeaderElectionConfig& LeaderElector::config() const {
  return state_->config;
}

}  // namespace landlord::kube
