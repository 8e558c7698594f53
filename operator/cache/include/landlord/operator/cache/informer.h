#pragma once

// A shared, read-only cache of one resource kept current by a Reflector, with
// handlers that see old and new projections. The cache is a reader:
// controllers read Lister<T> and cannot tell it from a fake.

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/cache/store.h"
#include "landlord/operator/cache/watch.h"

namespace landlord::kube {

template <class T>
class Lister {
 public:
  using Ptr = typename Store<T>::Ptr;
  virtual ~Lister() = default;
  virtual Ptr get(const std::string& key) const = 0;
  virtual std::vector<Ptr> list() const = 0;
  virtual std::vector<Ptr> byIndex(const std::string& index, const std::string& value) const = 0;
};

template <class T>
struct EventHandlers {
  std::function<void(const Cached<T>& added)> onAdd;
  std::function<void(const Cached<T>& old, const Cached<T>& updated)> onUpdate;
  // The last state the cache knew (after a re-list it may predate deletion).
  std::function<void(const Cached<T>& deleted)> onDelete;
};

// What an informer made of one watch event or re-listed object: handlers woken
// for an add, update or delete, or none because nothing they see changed.
enum class InformerEvent { Added, Updated, Deleted, Unchanged };
std::string_view toString(InformerEvent event);

// Type-independent part; see Informer<T>.
class InformerBase {
 public:
  virtual ~InformerBase() = default;
  virtual void start() = 0;
  virtual void stop() = 0;
  virtual bool hasSynced() const = 0;
  // Waits for the first full list; false if stop came first or timeout ran out.
  virtual bool waitForSync(std::chrono::milliseconds timeout) const = 0;
  virtual const ResourceRef& resource() const = 0;
  // Called on the informer's thread for every event, before the handlers; set
  // before start(). For a count of events beside the work they cause.
  virtual void observeEvents(std::function<void(InformerEvent)> observer) = 0;
};

template <class T>
class Informer final : public InformerBase, public Lister<T>, private ReflectorSink {
 public:
  using Ptr = typename Store<T>::Ptr;

  Informer(Client& client, ResourceRef resource, Projection<T> projection, Indexers indexers = {},
           ReflectorOptions options = {}, const Clock& clock = defaultClock())
      : resource_(std::move(resource)),
        store_(std::move(projection), std::move(indexers)),
        reflector_(client, resource_, std::move(options), *this, clock) {}

  ~Informer() override { stop(); }

  // Register before start(); handlers run on the informer's thread, in order.
  void addHandlers(EventHandlers<T> handlers) {
    std::lock_guard lock(handlersMutex_);
    handlers_.push_back(std::move(handlers));
  }

  void start() override {
    std::lock_guard lock(threadMutex_);
    if (!thread_.joinable()) {
      thread_ = std::jthread([this](std::stop_token stop) { reflector_.run(stop); });
    }
  }

  void stop() override {
    std::jthread thread;
    {
      std::lock_guard lock(threadMutex_);
      thread = std::move(thread_);
    }
    if (thread.joinable()) {
      thread.request_stop();
      thread.join();
    }
    {
      std::lock_guard lock(syncMutex_);
      stopped_ = true;
    }
    syncCv_.notify_all();
  }

  bool hasSynced() const override {
    std::lock_guard lock(syncMutex_);
    return synced_;
  }

  bool waitForSync(std::chrono::milliseconds timeout) const override {
    std::unique_lock lock(syncMutex_);
    syncCv_.wait_for(lock, timeout, [this] { return synced_ || stopped_; });
    return synced_;
  }

  const ResourceRef& resource() const override { return resource_; }
  void observeEvents(std::function<void(InformerEvent)> observer) override {
    observer_ = std::move(observer);
  }

  Ptr get(const std::string& key) const override { return store_.get(key); }
  std::vector<Ptr> list() const override { return store_.list(); }
  std::vector<Ptr> byIndex(const std::string& index, const std::string& value) const override {
    return store_.byIndex(index, value);
  }
  const Store<T>& store() const { return store_; }
  // The store's own pointer to an object a handler was given, so that an index kept
  // beside the cache shares it rather than holding a second copy; a copy when the
  // store no longer holds that very version.
  Ptr share(const Cached<T>& seen) const {
    Ptr stored = store_.get(seen.meta.key());
    if (stored.get() == &seen) {
      return stored;
    }
    return std::make_shared<const Cached<T>>(Cached<T>{
        seen.meta, seen.value,
        seen.indexValues ? std::make_unique<const IndexValues>(*seen.indexValues) : nullptr});
  }
  // Watch events and re-listed objects that changed nothing the handlers see,
  // so woke none of them.
  std::uint64_t unchangedEvents() const { return unchangedEvents_.load(); }
  const Reflector& reflector() const { return reflector_; }

  // The sink interface, public so tests can drive an informer without a
  // server. Production code never calls these.
  void beginReplace() override { staged_.clear(); }
  void replaceItem(const nlohmann::json& object) override {
    staged_.push_back(store_.makeEntry(object));
  }
  void endReplace(const std::string& /*resourceVersion*/) override {
    auto result = store_.replace(std::move(staged_));
    staged_ = {};
    for (const Ptr& added : result.added) {
      observe(InformerEvent::Added);
      dispatch([&](const EventHandlers<T>& h) {
        if (h.onAdd)
          h.onAdd(*added);
      });
    }
    for (const auto& [old, updated] : result.updated) {
      if (sameForHandlers(*old, *updated)) {
        ++unchangedEvents_;
        observe(InformerEvent::Unchanged);
        continue;
      }
      observe(InformerEvent::Updated);
      dispatch([&](const EventHandlers<T>& h) {
        if (h.onUpdate)
          h.onUpdate(*old, *updated);
      });
    }
    for (const Ptr& deleted : result.deleted) {
      observe(InformerEvent::Deleted);
      dispatch([&](const EventHandlers<T>& h) {
        if (h.onDelete)
          h.onDelete(*deleted);
      });
    }
    {
      std::lock_guard lock(syncMutex_);
      synced_ = true;
    }
    syncCv_.notify_all();
  }
  void apply(WatchEventType type, const nlohmann::json& object) override {
    if (type == WatchEventType::Deleted) {
      Ptr old = store_.erase(objectMetaOf(object).key());
      if (old) {
        observe(InformerEvent::Deleted);
        dispatch([&](const EventHandlers<T>& h) {
          if (h.onDelete)
            h.onDelete(*old);
        });
      }
      return;
    }
    Ptr entry = store_.makeEntry(object);
    Ptr old = store_.upsert(entry);
    if (old && sameForHandlers(*old, *entry)) {
      // Stored anyway, so readers see the newest resourceVersion for their writes;
      // nothing a handler could react to changed (a kubelet heartbeat, a field the
      // projection drops), so waking controllers would only cost them work.
      ++unchangedEvents_;
      observe(InformerEvent::Unchanged);
      return;
    }
    observe(old ? InformerEvent::Updated : InformerEvent::Added);
    if (old) {
      dispatch([&](const EventHandlers<T>& h) {
        if (h.onUpdate)
          h.onUpdate(*old, *entry);
      });
    } else {
      dispatch([&](const EventHandlers<T>& h) {
        if (h.onAdd)
          h.onAdd(*entry);
      });
    }
  }

 private:
  // Equal projections, identity and index values: the handlers would see no
  // difference. Only projections that can be compared are ever skipped.
  static bool sameForHandlers(const Cached<T>& old, const Cached<T>& updated) {
    if constexpr (std::equality_comparable<T>) {
      return old.meta.uid() == updated.meta.uid() && old.value == updated.value &&
             sameIndexValues(old.indexValues.get(), updated.indexValues.get());
    } else {
      return false;
    }
  }

  static const Clock& defaultClock() {
    static const SteadyClock clock;
    return clock;
  }

  void observe(InformerEvent event) {
    if (observer_) {
      observer_(event);
    }
  }

  template <class F>
  void dispatch(F&& call) {
    std::lock_guard lock(handlersMutex_);
    for (const EventHandlers<T>& handlers : handlers_) {
      try {
        call(handlers);
      } catch (const std::exception& error) {
        spdlog::error("informer {}: event handler threw: {}", resource_.displayName(),
                      error.what());
      }
    }
  }

  const ResourceRef resource_;
  Store<T> store_;
  std::vector<Ptr> staged_;  // reflector thread only
  std::atomic<std::uint64_t> unchangedEvents_{0};
  std::function<void(InformerEvent)> observer_;  // set before start, then read-only
  Reflector reflector_;

  std::mutex handlersMutex_;
  std::vector<EventHandlers<T>> handlers_;  // guarded by handlersMutex_

  mutable std::mutex syncMutex_;
  mutable std::condition_variable syncCv_;
  bool synced_ = false;   // guarded by syncMutex_
  bool stopped_ = false;  // guarded by syncMutex_

  std::mutex threadMutex_;
  std::jthread thread_;  // guarded by threadMutex_
};

}  // namespace landlord::kube
