#pragma once

// An in-memory API server behind the Client interface, for unit tests of
// anything built on Client (controllers, informers, leader election, events).
// It keeps resourceVersions, answers conflicts, AlreadyExists and NotFound
// like the real server, supports equality label selectors, pagination, merge
// and JSON patches (a merge patch carrying metadata.resourceVersion is
// conditional on it), and watches (including 410 Gone after compact()).
//
// Deletion follows the server: an object with finalizers is only marked with
// metadata.deletionTimestamp (a Modified event) and disappears (a Deleted event)
// when a write removes its last finalizer. Creating a pod's `eviction`
// subresource deletes the pod at once: there is no kubelet (no grace period)
// and PodDisruptionBudgets are not modelled (a test that needs a refusal throws
// TooManyRequestsError from the request hook).

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "landlord/operator/client/client.h"

namespace landlord::kube {

class FakeClient final : public Client {
 public:
  FakeClient();
  ~FakeClient() override;

  // Runs before every request with the verb ("get", "list", "create",
  // "update", "patch", "delete", "watch") and may throw to inject a failure.
  using RequestHook = std::function<void(const std::string& verb, const ResourceRef& resource,
                                         std::string_view ns, std::string_view name)>;
  void setRequestHook(RequestHook hook);

  nlohmann::json get(const ResourceRef& resource, std::string_view ns, std::string_view name,
                     const GetOptions& options = {}) override;
  ObjectList list(const ResourceRef& resource, std::string_view ns,
                  const ListOptions& options = {}) override;
  nlohmann::json create(const ResourceRef& resource, std::string_view ns,
                        const nlohmann::json& object, const CreateOptions& options = {}) override;
  nlohmann::json update(const ResourceRef& resource, const nlohmann::json& object,
                        const UpdateOptions& options = {}) override;
  nlohmann::json patch(const ResourceRef& resource, std::string_view ns, std::string_view name,
                       PatchType type, const nlohmann::json& patch,
                       const PatchOptions& options = {}) override;
  nlohmann::json remove(const ResourceRef& resource, std::string_view ns, std::string_view name,
                        const DeleteOptions& options = {}) override;
  std::unique_ptr<WatchStream> watch(const ResourceRef& resource, std::string_view ns,
                                     const WatchOptions& options = {}) override;
  std::vector<ApiResource> discover(std::string_view groupVersion) override;
  void invalidateDiscovery() override {}
  std::string server() const override { return "https://fake.invalid"; }

  // Forgets history up to the current version: watches from older versions
  // get 410 Gone. Open watches end.
  void compact();
  // Ends every open watch (as a server restart would).
  void closeWatches();
  // Objects of one resource, all namespaces.
  std::vector<nlohmann::json> objects(const ResourceRef& resource) const;
  // Requests seen so far as "verb resource ns/name".
  std::vector<std::string> requests() const;

  class Stream;

 private:
  struct Change {
    int64_t version;
    std::string resourceKey;  // group/resource
    WatchEventType type;
    nlohmann::json object;
  };

  void hook(const std::string& verb, const ResourceRef& resource, std::string_view ns,
            std::string_view name);
  nlohmann::json storeLocked(const ResourceRef& resource, nlohmann::json object,
                             WatchEventType type);
  // Stores a client's write; removes the object when that write dropped the last
  // finalizer of an object being deleted.
  nlohmann::json storeWriteLocked(const ResourceRef& resource, nlohmann::json object);
  // The patch itself: stores the patched object and returns it.
  nlohmann::json applyPatch(const ResourceRef& resource, std::string_view ns, std::string_view name,
                            PatchType type, const nlohmann::json& patch);
  // Deletes, or only marks when finalizers remain; `method` names the request in errors.
  nlohmann::json deleteLocked(const ResourceRef& resource, std::string_view ns,
                              std::string_view name, const std::string& method);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  RequestHook hook_;                                                      // guarded by mutex_
  int64_t version_ = 100;                                                 // guarded by mutex_
  int64_t compactedVersion_ = 0;                                          // guarded by mutex_
  int64_t watchGeneration_ = 0;                                           // guarded by mutex_
  std::map<std::string, std::map<std::string, nlohmann::json>> objects_;  // guarded by mutex_
  std::vector<Change> history_;                                           // guarded by mutex_
  std::vector<std::string> requests_;                                     // guarded by mutex_
};

}  // namespace landlord::kube
