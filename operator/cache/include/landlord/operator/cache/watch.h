#pragma once

// The list-then-watch loop behind an informer (client-go's Reflector): lists
// page by page, watches from the list's resourceVersion with bookmarks,
// re-watches from the last version seen when a watch ends, backs off with
// jitter on errors, and re-lists when the version is gone (410 / Expired).

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/client/client.h"

namespace landlord::kube {

// Receives what the reflector learns. Called from the reflector's thread only.
class ReflectorSink {
 public:
  virtual ~ReflectorSink() = default;
  // A full list follows: beginReplace, replaceItem per object, endReplace.
  virtual void beginReplace() = 0;
  virtual void replaceItem(const nlohmann::json& object) = 0;
  virtual void endReplace(const std::string& resourceVersion) = 0;
  // One watch event (Added, Modified or Deleted).
  virtual void apply(WatchEventType type, const nlohmann::json& object) = 0;
};

struct ReflectorOptions {
  std::string ns;  // empty: all namespaces
  std::string labelSelector;
  std::string fieldSelector;
  int64_t pageSize = 500;
  // Each watch asks the server to end it after a random time in
  // [minWatchTimeout, 2*minWatchTimeout), spreading reconnects.
  std::chrono::seconds minWatchTimeout{300};
  // Error backoff: initial doubling to max, with up to +100% jitter; reset
  // after a watch that lasted resetAfter.
  std::chrono::milliseconds initialBackoff{800};
  std::chrono::milliseconds maxBackoff{30'000};
  std::chrono::milliseconds resetBackoffAfter{120'000};
};

class Reflector {
 public:
  Reflector(Client& client, ResourceRef resource, ReflectorOptions options, ReflectorSink& sink,
            const Clock& clock);
  ~Reflector();
  Reflector(const Reflector&) = delete;
  Reflector& operator=(const Reflector&) = delete;

  // Blocks until stop is requested.
  void run(std::stop_token stop);

  // The resourceVersion of the last list, event or bookmark applied.
  std::string lastResourceVersion() const;
  // Number of full lists done (1 after the first sync; more after 410s).
  int listCount() const;

 private:
  class State;
  std::unique_ptr<State> state_;
};

}  // namespace landlord::kube
