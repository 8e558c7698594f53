#include "landlord/operator/cache/watch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>

#include "landlord/operator/cache/store.h"

namespace landlord::kube {

class Reflector::State {
 public:
  State(Client& client, ResourceRef resource, ReflectorOptions options, ReflectorSink& sink,
        const Clock& clock)
      : client(client),
        resource(std::move(resource)),
        options(std::move(options)),
        sink(sink),
        clock(clock),
        random(std::random_device{}()) {}

  Client& client;
  const ResourceRef resource;
  const ReflectorOptions options;
  ReflectorSink& sink;
  const Clock& clock;
  std::mt19937_64 random;  // reflector thread only

  mutable std::mutex mutex;
  std::condition_variable wakeup;
  std::string resourceVersion;  // guarded by mutex
  int lists = 0;                // guarded by mutex

  std::string name() const {
    return resource.displayName() + (options.ns.empty() ? "" : " in " + options.ns);
  }

  void setResourceVersion(std::string version) {
    std::lock_guard lock(mutex);
    resourceVersion = std::move(version);
  }

  std::string currentResourceVersion() const {
    std::lock_guard lock(mutex);
    return resourceVersion;
  }

  // Lists every page into the sink; returns the list's resourceVersion.
  void listAndReplace(const std::stop_token& stop) {
    ListOptions page;
    page.labelSelector = options.labelSelector;
    page.fieldSelector = options.fieldSelector;
    page.limit = options.pageSize;
    sink.beginReplace();
    std::string version;
    while (!stop.stop_requested()) {
      ObjectList part = client.list(resource, options.ns, page);
      for (const nlohmann::json& item : part.items) {
        sink.replaceItem(item);
      }
      version = part.resourceVersion;
      if (part.continueToken.empty()) {
        break;
      }
      page.continueToken = std::move(part.continueToken);
    }
    if (stop.stop_requested()) {
      return;
    }
    {
      std::lock_guard lock(mutex);
      resourceVersion = version;
      ++lists;
    }
    sink.endReplace(version);
  }

  // Watches until the stream ends; returns the number of events (bookmarks
  // included). Throws GoneError when the version is gone.
  std::size_t watchOnce(const std::stop_token& stop) {
    WatchOptions watchOptions;
    watchOptions.labelSelector = options.labelSelector;
    watchOptions.fieldSelector = options.fieldSelector;
    watchOptions.resourceVersion = currentResourceVersion();
    watchOptions.allowWatchBookmarks = true;
    auto base = static_cast<int>(options.minWatchTimeout.count());
    watchOptions.timeoutSeconds = base + static_cast<int>(std::uniform_int_distribution<int>(
                                             0, std::max(0, base - 1))(random));
    std::unique_ptr<WatchStream> stream = client.watch(resource, options.ns, watchOptions);
    WatchStream* raw = stream.get();
    // Declared after stream, so destroyed before it.
    std::stop_callback onStop(stop, [raw] { raw->stop(); });
    std::size_t events = 0;
    while (!stop.stop_requested()) {
      std::optional<WatchEvent> event = raw->next();
      if (!event) {
        return events;
      }
      ++events;
      std::string version;
      if (event->object.is_object()) {
        version = objectMetaOf(event->object).resourceVersion();
      }
      switch (event->type) {
        case WatchEventType::Bookmark:
          break;
        case WatchEventType::Added:
        case WatchEventType::Modified:
        case WatchEventType::Deleted:
          sink.apply(event->type, event->object);
          break;
        case WatchEventType::Error: {
          Status status = decodeStatus(0, event->object.dump());
          throw ApiError(RequestContext{client.server(), "WATCH", resource.displayName()}, status);
        }
      }
      if (!version.empty()) {
        setResourceVersion(std::move(version));
      }
    }
    return events;
  }

  // Sleeps for the backoff (with jitter) unless stopped; true if stopped.
  bool pause(const std::stop_token& stop, std::chrono::milliseconds delay) {
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    auto total = std::chrono::duration_cast<Clock::Duration>(delay * (1.0 + jitter(random)));
    Clock::TimePoint deadline = clock.now() + total;
    std::stop_callback onStop(stop, [this] {
      std::lock_guard wake(mutex);
      wakeup.notify_all();
    });
    std::unique_lock lock(mutex);
    while (!stop.stop_requested() && clock.now() < deadline) {
      clock.waitUntil(lock, wakeup, deadline);
    }
    return stop.stop_requested();
  }
};

Reflector::Reflector(Client& client, ResourceRef resource, ReflectorOptions options,
                     ReflectorSink& sink, const Clock& clock)
    : state_(
          std::make_unique<State>(client, std::move(resource), std::move(options), sink, clock)) {}

Reflector::~Reflector() = default;

void Reflector::run(std::stop_token stop) {
  State& s = *state_;
  bool needList = true;
  std::chrono::milliseconds backoff = s.options.initialBackoff;
  while (!stop.stop_requested()) {
    auto started = s.clock.now();
    try {
      if (needList) {
        s.listAndReplace(stop);
        needList = false;
        spdlog::debug("reflector {}: listed at resourceVersion {}", s.name(),
                      s.currentResourceVersion());
      }
      std::size_t events = s.watchOnce(stop);
      Clock::Duration lasted = s.clock.now() - started;
      // A watch that ended normally (server timeout) is simply renewed, but
      // one that ends at once without a single event (a proxy closing it, a
      // server shutting down) backs off rather than spinning.
      if (lasted >= s.options.resetBackoffAfter) {
        backoff = s.options.initialBackoff;
      }
      if (events > 0 || lasted >= std::chrono::seconds(1)) {
        continue;
      }
      spdlog::debug("reflector {}: watch ended at once; retrying in ~{} ms", s.name(),
                    backoff.count());
    } catch (const GoneError& error) {
      spdlog::info("reflector {}: resourceVersion {} expired ({}); re-listing", s.name(),
                   s.currentResourceVersion(), error.what());
      needList = true;
      continue;
    } catch (const std::exception& error) {
      if (stop.stop_requested()) {
        break;
      }
      spdlog::warn("reflector {}: {}; retrying in ~{} ms", s.name(), error.what(), backoff.count());
    }
    if (s.clock.now() - started >= s.options.resetBackoffAfter) {
      backoff = s.options.initialBackoff;
    }
    if (s.pause(stop, backoff)) {
      break;
    }
    backoff = std::min(backoff * 2, s.options.maxBackoff);
  }
}

std::string Reflector::lastResourceVersion() const {
  return state_->currentResourceVersion();
}

int Reflector::listCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->lists;
}

}  // namespace landlord::kube
