#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/operator/base/errors.h"
#include "landlord/operator/client/resource.h"

namespace landlord::kube {

struct GetOptions {
  std::string resourceVersion;  // "" = most recent (quorum read); "0" = any cached
  std::string subresource;      // e.g. "status"
};

struct ListOptions {
  std::string labelSelector;  // "app=x,tier in (a,b)"
  std::string fieldSelector;  // "metadata.name=x"
  int64_t limit = 0;          // 0 = no limit
  std::string continueToken;  // from ObjectList::continueToken
  std::string resourceVersion;
  std::string resourceVersionMatch;  // "", "Exact", "NotOlderThan"
  std::optional<int> timeoutSeconds;
};

struct ObjectList {
  std::vector<nlohmann::json> items;
  std::string resourceVersion;  // of the list, to start a watch from
  std::string continueToken;    // empty when this was the last page
  std::optional<int64_t> remainingItemCount;
};

struct CreateOptions {
  std::string fieldManager;
  bool dryRun = false;
  // Creates on a subresource of the object named by obj.metadata.name, e.g.
  // "eviction" on pods: POST .../pods/<name>/eviction.
  std::string subresource;
};

// The object's metadata.resourceVersion, when set, makes the write
// conditional: a stale version fails with ConflictError.
struct UpdateOptions {
  std::string fieldManager;
  bool dryRun = false;
  std::string subresource;  // "status" to write status only
};

enum class PatchType {
  Merge,           // application/merge-patch+json (RFC 7386)
  Json,            // application/json-patch+json (RFC 6902)
  Strategic,       // application/strategic-merge-patch+json (built-in types only)
  ServerSideApply  // application/apply-patch+yaml (JSON is valid YAML)
};

struct PatchOptions {
  std::string fieldManager;   // required for ServerSideApply
  std::optional<bool> force;  // ServerSideApply: take ownership of conflicting fields
  bool dryRun = false;
  std::string subresource;
  // false: patch() returns an empty object on success instead of decoding the
  // object the server wrote (client-go's Do().Error()). A writer that reads the
  // result from its watch skips parsing a whole object per write.
  bool decodeResult = true;
};

enum class PropagationPolicy { Orphan, Background, Foreground };

struct DeleteOptions {
  std::optional<std::string> preconditionUid;
  std::optional<std::string> preconditionResourceVersion;
  std::optional<PropagationPolicy> propagationPolicy;
  std::optional<int64_t> gracePeriodSeconds;
  bool dryRun = false;
  // The metav1.DeleteOptions body these options stand for.
  nlohmann::json toJson() const;
};

struct WatchOptions {
  std::string labelSelector;
  std::string fieldSelector;
  std::string resourceVersion;  // start after this version (from a list or event)
  bool allowWatchBookmarks = true;
  std::optional<int> timeoutSeconds = 300;  // server closes the watch after this
};

enum class WatchEventType { Added, Modified, Deleted, Bookmark, Error };

struct WatchEvent {
  WatchEventType type = WatchEventType::Added;
  nlohmann::json object;  // for Error: a metav1.Status
};

// One streaming watch. next() blocks until an event arrives and returns
// nullopt when the stream ends (server timeout, connection closed, stop()).
// An Error event carrying 410 is thrown as GoneError from next(); other error
// events are returned as WatchEventType::Error.
class WatchStream {
 public:
  virtual ~WatchStream() = default;
  virtual std::optional<WatchEvent> next() = 0;
  // Ends the stream from any thread; a blocked next() returns nullopt.
  virtual void stop() = 0;
};

// One resource of a discovery document (APIResourceList).
struct ApiResource {
  GroupVersionResource resource;  // resource name is the plural
  std::string singularName;
  std::vector<std::string> verbs;
  std::vector<std::string> shortNames;
};

// The API server, addressed by GroupVersionResource. Objects are JSON.
// Every method throws an ApiError subclass for an API error status and a
// TransportError when no response came; both name the server and request.
// Implementations are thread-safe.
class Client {
 public:
  virtual ~Client() = default;

  virtual nlohmann::json get(const ResourceRef& resource, std::string_view ns,
                             std::string_view name, const GetOptions& options = {}) = 0;

  // One page; follow ObjectList::continueToken for the next (see listAll).
  virtual ObjectList list(const ResourceRef& resource, std::string_view ns,
                          const ListOptions& options = {}) = 0;

  // The namespace comes from ns (metadata.namespace may be omitted).
  virtual nlohmann::json create(const ResourceRef& resource, std::string_view ns,
                                const nlohmann::json& object,
                                const CreateOptions& options = {}) = 0;

  // Replaces the object named by object.metadata. With
  // metadata.resourceVersion set, a concurrent write yields ConflictError.
  virtual nlohmann::json update(const ResourceRef& resource, const nlohmann::json& object,
                                const UpdateOptions& options = {}) = 0;

  virtual nlohmann::json patch(const ResourceRef& resource, std::string_view ns,
                               std::string_view name, PatchType type, const nlohmann::json& patch,
                               const PatchOptions& options = {}) = 0;

  // Returns the server's answer: the object (when deletion is deferred by
  // finalizers or grace period) or a Status.
  virtual nlohmann::json remove(const ResourceRef& resource, std::string_view ns,
                                std::string_view name, const DeleteOptions& options = {}) = 0;

  virtual std::unique_ptr<WatchStream> watch(const ResourceRef& resource, std::string_view ns,
                                             const WatchOptions& options = {}) = 0;

  // The resources served under one group version ("v1", "apps/v1",
  // "landlord.dev/v1alpha1"). Cached; invalidateDiscovery() forgets.
  virtual std::vector<ApiResource> discover(std::string_view groupVersion) = 0;
  virtual void invalidateDiscovery() = 0;

  // "https://host:port", for messages and metrics.
  virtual std::string server() const = 0;
};

// Resolves apiVersion + Kind (e.g. "landlord.dev/v1alpha1", "GPUPool") to its
// resource through discovery. Throws NotFoundError when not served.
GroupVersionResource resolveKind(Client& client, std::string_view apiVersion,
                                 std::string_view kind);

// Lists every page (limit per page) into one list; restarts from scratch when
// a continue token expires (410).
ObjectList listAll(Client& client, const ResourceRef& resource, std::string_view ns,
                   ListOptions options = {});

// Evicts a pod through the Eviction API (honours PodDisruptionBudgets: a
// blocked eviction is TooManyRequestsError).
void evictPod(Client& client, std::string_view ns, std::string_view podName,
              const DeleteOptions& options = {});

// Called once per HTTP request (including each watch) when it completes or
// fails: feeds rest_client_requests_total{code,method,host} and
// rest_client_request_duration_seconds{verb,host}.
struct RequestObservation {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string host;    // host:port
  int code = 0;        // HTTP status; 0 when no response (metric label "<error>")
  std::chrono::duration<double> latency{0};  // to response headers
};

class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  virtual void observe(const RequestObservation& observation) = 0;
};

}  // namespace landlord::kube
