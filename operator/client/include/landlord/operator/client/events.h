#pragma once

// Kubernetes Events (events.k8s.io/v1) about objects, de-duplicated: a repeat
// of the same (object, type, reason, action, note) within the series window
// increments series.count on the existing Event instead of creating another,
// as client-go's events broadcaster does.

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/client/client.h"

namespace landlord::kube {

struct ObjectReference {
  std::string apiVersion;
  std::string kind;
  std::string ns;
  std::string name;
  std::string uid;
  std::string resourceVersion;
  nlohmann::json toJson() const;
};

// From an object's apiVersion, kind and metadata.
ObjectReference referenceTo(const nlohmann::json& object);

enum class EventType { Normal, Warning };

class EventRecorder {
 public:
  virtual ~EventRecorder() = default;
  // reason: UpperCamelCase, why (e.g. "LeaseActivated"); action: what was
  // done (e.g. "Provision"); note: human-readable, at most 1 kB kept.
  // Never throws: failures are logged.
  virtual void record(const ObjectReference& regarding, EventType type, const std::string& reason,
                      const std::string& action, const std::string& note) = 0;
};

struct EventRecorderOptions {
  std::string reportingController;  // "landlord.dev/operator"
  std::string reportingInstance;    // pod name / identity
  // Repeats further apart than this start a new Event (the API server
  // garbage-collects events after an hour anyway).
  std::chrono::minutes seriesWindow{30};
  std::size_t maxTracked = 4096;  // de-duplication cache size (LRU)
};

// Writes synchronously through the client.
std::unique_ptr<EventRecorder> makeApiEventRecorder(Client& client, EventRecorderOptions options,
                                                    const Clock& clock);

// Hands events to a background thread so callers never wait on the API
// server; drops (and logs) when more than queueLimit are pending. Destruction
// drains what is queued.
std::unique_ptr<EventRecorder> makeAsyncEventRecorder(std::unique_ptr<EventRecorder> inner,
                                                      std::size_t queueLimit = 1000);

}  // namespace landlord::kube
