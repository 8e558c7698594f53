#include "landlord/operator/client/events.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <ctime>
#include <deque>
#include <list>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "landlord/operator/base/time_format.h"

namespace landlord::kube {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNoteBytes = 1024;

const char* typeName(EventType type) {
  return type == EventType::Warning ? "Warning" : "Normal";
}

// What makes two events "the same" for de-duplication.
std::string seriesKey(const ObjectReference& regarding, EventType type, const std::string& reason,
                      const std::string& action, const std::string& note) {
  return json::array({regarding.apiVersion, regarding.kind, regarding.ns, regarding.name,
                      regarding.uid, typeName(type), reason, action, note})
      .dump();
}

class ApiEventRecorder final : public EventRecorder {
 public:
  ApiEventRecorder(Client& client, EventRecorderOptions options, const Clock& clock)
      : client_(client),
        options_(std::move(options)),
        clock_(clock),
        random_(std::random_device{}()) {}

  void record(const ObjectReference& regarding, EventType type, const std::string& reason,
              const std::string& action, const std::string& note) override {
    std::string truncated = note.size() > kMaxNoteBytes ? note.substr(0, kMaxNoteBytes) : note;
    std::string key = seriesKey(regarding, type, reason, action, truncated);
    std::lock_guard lock(mutex_);
    try {
      recordLocked(key, regarding, type, reason, action, truncated);
    } catch (const std::exception& error) {
      spdlog::warn("event {} {} on {} {}/{} not recorded: {}", typeName(type), reason,
                   regarding.kind, regarding.ns, regarding.name, error.what());
    }
  }

 private:
  struct Series {
    std::string ns;
    std::string name;
    int count = 1;
    Clock::TimePoint first;
    std::list<std::string>::iterator recency;
  };

  void recordLocked(const std::string& key, const ObjectReference& regarding, EventType type,
                    const std::string& reason, const std::string& action, const std::string& note) {
    const Clock::TimePoint now = clock_.now();
    auto found = series_.find(key);
    if (found != series_.end() && now - found->second.first < options_.seriesWindow) {
      Series& series = found->second;
      touch(series);
      json patch = {
          {"series", {{"count", series.count + 1}, {"lastObservedTime", microTimeNow()}}}};
      try {
        client_.patch(resources::events(), series.ns, series.name, PatchType::Merge, patch);
        ++series.count;
        return;
      } catch (const NotFoundError&) {
        // The event expired on the server: start a new one below.
      }
    }
    if (found != series_.end()) {
      recency_.erase(found->second.recency);
      series_.erase(found);
    }
    std::string ns = regarding.ns.empty() ? "default" : regarding.ns;
    json event = {
        {"apiVersion", "events.k8s.io/v1"},
        {"kind", "Event"},
        {"metadata", {{"name", eventName(regarding)}, {"namespace", ns}}},
        {"eventTime", microTimeNow()},
        {"reportingController", options_.reportingController},
        {"reportingInstance", options_.reportingInstance},
        {"action", action},
        {"reason", reason},
        {"regarding", regarding.toJson()},
        {"note", note},
        {"type", typeName(type)},
    };
    json created = client_.create(resources::events(), ns, event);
    Series series;
    series.ns = ns;
    series.name = created["metadata"].value("name", event["metadata"]["name"].get<std::string>());
    series.first = now;
    recency_.push_front(key);
    series.recency = recency_.begin();
    series_.emplace(key, std::move(series));
    while (series_.size() > options_.maxTracked) {
      series_.erase(recency_.back());
      recency_.pop_back();
    }
  }

  void touch(Series& series) {
    recency_.splice(recency_.begin(), recency_, series.recency);
    series.recency = recency_.begin();
  }

  // "<object>.<16 hex digits>", unique enough and readable, as client-go.
  std::string eventName(const ObjectReference& regarding) {
    char suffix[20];
    std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random_()));
    std::string base = regarding.name.empty() ? "event" : regarding.name;
    if (base.size() > 200) {
      base.resize(200);
    }
    return base + "." + suffix;
  }

  Client& client_;
  const EventRecorderOptions options_;
  const Clock& clock_;
  std::mutex mutex_;
  std::mt19937_64 random_;                          // guarded by mutex_
  std::unordered_map<std::string, Series> series_;  // guarded by mutex_
  std::list<std::string> recency_;                  // guarded by mutex_; most recent first
};

class AsyncEventRecorder final : public EventRecorder {
 public:
  AsyncEventRecorder(std::unique_ptr<EventRecorder> inner, std::size_t queueLimit)
      : inner_(std::move(inner)), queueLimit_(queueLimit), worker_([this] { drain(); }) {}

  ~AsyncEventRecorder() override {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    wakeup_.notify_all();
    worker_.join();
  }

  void record(const ObjectReference& regarding, EventType type, const std::string& reason,
              const std::string& action, const std::string& note) override {
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() >= queueLimit_) {
        spdlog::warn("event queue full ({}); dropping {} {} on {}/{}", queueLimit_, reason, action,
                     regarding.ns, regarding.name);
        return;
      }
      queue_.push_back(Pending{regarding, type, reason, action, note});
    }
    wakeup_.notify_one();
  }

 private:
  struct Pending {
    ObjectReference regarding;
    EventType type;
    std::string reason;
    std::string action;
    std::string note;
  };

  void drain() {
    std::unique_lock lock(mutex_);
    while (true) {
      wakeup_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // closing and drained
      }
      Pending next = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      inner_->record(next.regarding, next.type, next.reason, next.action, next.note);
      lock.lock();
    }
  }

  std::unique_ptr<EventRecorder> inner_;
  const std::size_t queueLimit_;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<Pending> queue_;  // guarded by mutex_
  bool closing_ = false;       // guarded by mutex_
  std::thread worker_;         // last: starts after the members it uses
};

}  // namespace

nlohmann::json ObjectReference::toJson() const {
  json ref = json::object();
  if (!apiVersion.empty())
    ref["apiVersion"] = apiVersion;
  if (!kind.empty())
    ref["kind"] = kind;
  if (!ns.empty())
    ref["namespace"] = ns;
  if (!name.empty())
    ref["name"] = name;
  if (!uid.empty())
    ref["uid"] = uid;
  if (!resourceVersion.empty())
    ref["resourceVersion"] = resourceVersion;
  return ref;
}

ObjectReference referenceTo(const nlohmann::json& object) {
  ObjectReference ref;
  ref.apiVersion = object.value("apiVersion", "");
  ref.kind = object.value("kind", "");
  const json& metadata = object.value("metadata", json::object());
  ref.ns = metadata.value("namespace", "");
  ref.name = metadata.value("name", "");
  ref.uid = metadata.value("uid", "");
  ref.resourceVersion = metadata.value("resourceVersion", "");
  return ref;
}

std::unique_ptr<EventRecorder> makeApiEventRecorder(Client& client, EventRecorderOptions options,
                                                    const Clock& clock) {
  return std::make_unique<ApiEventRecorder>(client, std::move(options), clock);
}

std::unique_ptr<EventRecorder> makeAsyncEventRecorder(std::unique_ptr<EventRecorder> inner,
                                                      std::size_t queueLimit) {
  return std::make_unique<AsyncEventRecorder>(std::move(inner), queueLimit);
}

}  // namespace landlord::kube
