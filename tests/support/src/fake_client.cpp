#include "landlord/testing/fake_client.h"

#include <algorithm>
#include <sstream>

namespace landlord::kube {
namespace {

using nlohmann::json;

std::string resourceKeyOf(const ResourceRef& resource) {
  return resource.group + "/" + resource.resource;
}

RequestContext fakeRequest(const std::string& verb, const ResourceRef& resource,
                           std::string_view ns, std::string_view name) {
  return RequestContext{"https://fake.invalid", verb, resourcePath(resource, ns, name)};
}

[[noreturn]] void fail(int code, const std::string& reason, const std::string& message,
                       const std::string& verb, const ResourceRef& resource, std::string_view ns,
                       std::string_view name) {
  Status status;
  status.code = code;
  status.reason = reason;
  status.message = message;
  status.kind = resource.resource;
  status.name = std::string(name);
  throwApiError(fakeRequest(verb, resource, ns, name), std::move(status));
}

[[noreturn]] void failNotFound(const std::string& verb, const ResourceRef& resource,
                               std::string_view ns, std::string_view name) {
  fail(404, "NotFound", resource.resource + " \"" + std::string(name) + "\" not found", verb,
       resource, ns, name);
}

// Equality-based selectors only: "a=b,c==d,e!=f,g" (g: label exists).
bool matchesLabels(const json& object, const std::string& selector) {
  if (selector.empty()) {
    return true;
  }
  const json labels = object.value("metadata", json::object()).value("labels", json::object());
  std::stringstream terms(selector);
  std::string term;
  while (std::getline(terms, term, ',')) {
    std::size_t neq = term.find("!=");
    std::size_t eq = term.find('=');
    if (neq != std::string::npos) {
      std::string key = term.substr(0, neq);
      if (labels.contains(key) && labels[key] == term.substr(neq + 2)) {
        return false;
      }
    } else if (eq != std::string::npos) {
      std::string key = term.substr(0, eq);
      std::string value = term.substr(term[eq + 1] == '=' ? eq + 2 : eq + 1);
      if (!labels.contains(key) || labels[key] != value) {
        return false;
      }
    } else if (!labels.contains(term)) {
      return false;
    }
  }
  return true;
}

bool hasFinalizers(const json& object) {
  const json& metadata = object.at("metadata");
  return metadata.contains("finalizers") && metadata["finalizers"].is_array() &&
         !metadata["finalizers"].empty();
}

bool beingDeleted(const json& object) {
  return object.at("metadata").contains("deletionTimestamp");
}

// The server owns metadata.deletionTimestamp: a client's update or patch can
// neither set nor clear it.
void keepDeletionState(const json& stored, json& written) {
  json& metadata = written["metadata"];
  metadata.erase("deletionTimestamp");
  metadata.erase("deletionGracePeriodSeconds");
  for (const char* field : {"deletionTimestamp", "deletionGracePeriodSeconds"}) {
    if (stored.at("metadata").contains(field)) {
      metadata[field] = stored["metadata"][field];
    }
  }
}

// A fixed RFC 3339 time: the fake has no clock, and tests compare presence, not value.
constexpr const char* kDeletionTimestamp = "2026-01-01T00:00:00Z";

std::string keyOf(const json& object) {
  const json& metadata = object.at("metadata");
  return objectKey(metadata.value("namespace", ""), metadata.value("name", ""));
}

}  // namespace

class FakeClient::Stream final : public WatchStream {
 public:
  Stream(FakeClient& fake, std::string resourceKey, std::string ns, std::string selector,
         int64_t from, int64_t generation)
      : fake_(fake),
        resourceKey_(std::move(resourceKey)),
        ns_(std::move(ns)),
        selector_(std::move(selector)),
        from_(from),
        generation_(generation) {}

  std::optional<WatchEvent> next() override {
    std::unique_lock lock(fake_.mutex_);
    while (true) {
      if (stopped_ || fake_.watchGeneration_ != generation_) {
        return std::nullopt;
      }
      if (from_ < fake_.compactedVersion_) {
        Status status{410, "Expired", "too old resource version", "", "", {}, std::nullopt};
        throw GoneError(RequestContext{"https://fake.invalid", "WATCH", resourceKey_}, status);
      }
      for (const Change& change : fake_.history_) {
        if (change.version <= from_ || change.resourceKey != resourceKey_) {
          continue;
        }
        from_ = change.version;
        const json& metadata = change.object.at("metadata");
        if ((!ns_.empty() && metadata.value("namespace", "") != ns_) ||
            !matchesLabels(change.object, selector_)) {
          continue;
        }
        return WatchEvent{change.type, change.object};
      }
      fake_.changed_.wait(lock);
    }
  }

  void stop() override {
    std::lock_guard lock(fake_.mutex_);
    stopped_ = true;
    fake_.changed_.notify_all();
  }

 private:
  FakeClient& fake_;
  const std::string resourceKey_;
  const std::string ns_;
  const std::string selector_;
  int64_t from_;  // guarded by fake_.mutex_
  const int64_t generation_;
  bool stopped_ = false;  // guarded by fake_.mutex_
};

FakeClient::FakeClient() = default;
FakeClient::~FakeClient() = default;

void FakeClient::setRequestHook(RequestHook hook) {
  std::lock_guard lock(mutex_);
  hook_ = std::move(hook);
}

void FakeClient::hook(const std::string& verb, const ResourceRef& resource, std::string_view ns,
                      std::string_view name) {
  RequestHook hook;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(verb + " " + resource.resource + " " + objectKey(ns, name));
    hook = hook_;
  }
  if (hook) {
    hook(verb, resource, ns, name);
  }
}

json FakeClient::storeLocked(const ResourceRef& resource, json object, WatchEventType type) {
  ++version_;
  object["metadata"]["resourceVersion"] = std::to_string(version_);
  if (!object.contains("apiVersion")) {
    object["apiVersion"] = resource.apiVersion();
  }
  if (!object.contains("kind") && !resource.kind.empty()) {
    object["kind"] = resource.kind;
  }
  std::string key = keyOf(object);
  auto& bucket = objects_[resourceKeyOf(resource)];
  if (type == WatchEventType::Deleted) {
    bucket.erase(key);
  } else {
    bucket[key] = object;
  }
  history_.push_back(Change{version_, resourceKeyOf(resource), type, object});
  changed_.notify_all();
  return object;
}

json FakeClient::get(const ResourceRef& resource, std::string_view ns, std::string_view name,
                     const GetOptions&) {
  hook("get", resource, ns, name);
  std::lock_guard lock(mutex_);
  auto& bucket = objects_[resourceKeyOf(resource)];
  auto it = bucket.find(objectKey(resource.namespaced ? ns : "", name));
  if (it == bucket.end()) {
    failNotFound("GET", resource, ns, name);
  }
  return it->second;
}

ObjectList FakeClient::list(const ResourceRef& resource, std::string_view ns,
                            const ListOptions& options) {
  hook("list", resource, ns, "");
  std::lock_guard lock(mutex_);
  std::vector<json> matching;
  for (const auto& [key, object] : objects_[resourceKeyOf(resource)]) {
    if (resource.namespaced && !ns.empty() &&
        object["metadata"].value("namespace", "") != std::string(ns)) {
      continue;
    }
    if (matchesLabels(object, options.labelSelector)) {
      matching.push_back(object);
    }
  }
  std::size_t start = options.continueToken.empty() ? 0 : std::stoul(options.continueToken);
  std::size_t end = options.limit > 0
                        ? std::min(matching.size(), start + static_cast<std::size_t>(options.limit))
                        : matching.size();
  ObjectList out;
  for (std::size_t i = start; i < end; ++i) {
    out.items.push_back(std::move(matching[i]));
  }
  out.resourceVersion = std::to_string(version_);
  if (end < matching.size()) {
    out.continueToken = std::to_string(end);
    out.remainingItemCount = static_cast<int64_t>(matching.size() - end);
  }
  return out;
}

json FakeClient::create(const ResourceRef& resource, std::string_view ns, const json& object,
                        const CreateOptions& options) {
  json copy = object;
  std::string name = copy["metadata"].value("name", "");
  hook("create", resource, ns, name);
  std::lock_guard lock(mutex_);
  if (options.subresource == "eviction" && resource.resource == "pods") {
    // The API server deletes the evicted pod. PodDisruptionBudgets are not
    // modelled: tests that need a refusal throw TooManyRequestsError from the hook.
    deleteLocked(resource, ns, name, "POST");
    return json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Success"}, {"code", 201}};
  }
  if (!options.subresource.empty()) {
    return copy;  // another subresource: accepted, nothing stored
  }
  if (name.empty() && copy["metadata"].contains("generateName")) {
    name = copy["metadata"]["generateName"].get<std::string>() + std::to_string(version_ + 1);
    copy["metadata"]["name"] = name;
  }
  if (name.empty()) {
    fail(422, "Invalid", "metadata.name: Required value", "POST", resource, ns, name);
  }
  if (resource.namespaced) {
    copy["metadata"]["namespace"] = std::string(ns);
  }
  if (objects_[resourceKeyOf(resource)].contains(keyOf(copy))) {
    fail(409, "AlreadyExists", resource.resource + " \"" + name + "\" already exists", "POST",
         resource, ns, name);
  }
  copy["metadata"]["uid"] = "uid-" + std::to_string(version_ + 1);
  copy["metadata"]["generation"] = 1;
  return storeLocked(resource, std::move(copy), WatchEventType::Added);
}

json FakeClient::update(const ResourceRef& resource, const json& object, const UpdateOptions&) {
  const json& metadata = object.at("metadata");
  std::string ns = metadata.value("namespace", "");
  std::string name = metadata.value("name", "");
  hook("update", resource, ns, name);
  std::lock_guard lock(mutex_);
  auto& bucket = objects_[resourceKeyOf(resource)];
  auto it = bucket.find(objectKey(ns, name));
  if (it == bucket.end()) {
    failNotFound("PUT", resource, ns, name);
  }
  std::string wanted = metadata.value("resourceVersion", "");
  if (!wanted.empty() && wanted != it->second["metadata"].value("resourceVersion", "")) {
    fail(409, "Conflict",
         "Operation cannot be fulfilled on " + resource.resource + " \"" + name +
             "\": the object has been modified; please apply your changes to the latest version "
             "and try again",
         "PUT", resource, ns, name);
  }
  json copy = object;
  copy["metadata"]["uid"] = it->second["metadata"]["uid"];
  keepDeletionState(it->second, copy);
  return storeWriteLocked(resource, std::move(copy));
}

json FakeClient::patch(const ResourceRef& resource, std::string_view ns, std::string_view name,
                       PatchType type, const json& patch, const PatchOptions& options) {
  json written = applyPatch(resource, ns, name, type, patch);
  return options.decodeResult ? written : json::object();
}

json FakeClient::applyPatch(const ResourceRef& resource, std::string_view ns, std::string_view name,
                            PatchType type, const json& patch) {
  hook("patch", resource, ns, name);
  std::lock_guard lock(mutex_);
  auto& bucket = objects_[resourceKeyOf(resource)];
  auto it = bucket.find(objectKey(resource.namespaced ? ns : "", name));
  if (it == bucket.end()) {
    if (type == PatchType::ServerSideApply) {
      json created = patch;
      created["metadata"]["name"] = std::string(name);
      if (resource.namespaced) {
        created["metadata"]["namespace"] = std::string(ns);
      }
      created["metadata"]["uid"] = "uid-" + std::to_string(version_ + 1);
      return storeLocked(resource, std::move(created), WatchEventType::Added);
    }
    failNotFound("PATCH", resource, ns, name);
  }
  // A patch carrying metadata.resourceVersion is conditional on it, as on the server.
  const json::json_pointer version("/metadata/resourceVersion");
  if (type != PatchType::Json && patch.contains(version) && patch[version].is_string() &&
      patch[version] != it->second["metadata"].value("resourceVersion", "")) {
    fail(409, "Conflict",
         "Operation cannot be fulfilled on " + resource.resource + " \"" + std::string(name) +
             "\": the object has been modified; please apply your changes to the latest version "
             "and try again",
         "PATCH", resource, ns, name);
  }
  json patched = it->second;
  if (type == PatchType::Json) {
    patched = patched.patch(patch);
  } else {
    patched.merge_patch(patch);
  }
  keepDeletionState(it->second, patched);
  return storeWriteLocked(resource, std::move(patched));
}

json FakeClient::remove(const ResourceRef& resource, std::string_view ns, std::string_view name,
                        const DeleteOptions& options) {
  hook("delete", resource, ns, name);
  std::lock_guard lock(mutex_);
  auto& bucket = objects_[resourceKeyOf(resource)];
  auto it = bucket.find(objectKey(resource.namespaced ? ns : "", name));
  if (it == bucket.end()) {
    failNotFound("DELETE", resource, ns, name);
  }
  const json& metadata = it->second["metadata"];
  if ((options.preconditionUid && *options.preconditionUid != metadata.value("uid", "")) ||
      (options.preconditionResourceVersion &&
       *options.preconditionResourceVersion != metadata.value("resourceVersion", ""))) {
    fail(409, "Conflict", "Precondition failed", "DELETE", resource, ns, name);
  }
  return deleteLocked(resource, ns, name, "DELETE");
}

json FakeClient::deleteLocked(const ResourceRef& resource, std::string_view ns,
                              std::string_view name, const std::string& method) {
  auto& bucket = objects_[resourceKeyOf(resource)];
  auto it = bucket.find(objectKey(resource.namespaced ? ns : "", name));
  if (it == bucket.end()) {
    failNotFound(method, resource, ns, name);
  }
  if (!hasFinalizers(it->second)) {
    json last = it->second;
    storeLocked(resource, std::move(last), WatchEventType::Deleted);
    return json{{"kind", "Status"}, {"status", "Success"}};
  }
  // Finalizers defer deletion: the object stays, marked, until the last one goes.
  if (beingDeleted(it->second)) {
    return it->second;
  }
  json marked = it->second;
  marked["metadata"]["deletionTimestamp"] = kDeletionTimestamp;
  marked["metadata"]["deletionGracePeriodSeconds"] = 0;
  return storeLocked(resource, std::move(marked), WatchEventType::Modified);
}

json FakeClient::storeWriteLocked(const ResourceRef& resource, json object) {
  if (beingDeleted(object) && !hasFinalizers(object)) {
    // The write removed the last finalizer of an object being deleted: it goes.
    storeLocked(resource, object, WatchEventType::Deleted);
    return object;
  }
  return storeLocked(resource, std::move(object), WatchEventType::Modified);
}

std::unique_ptr<WatchStream> FakeClient::watch(const ResourceRef& resource, std::string_view ns,
                                               const WatchOptions& options) {
  hook("watch", resource, ns, "");
  std::lock_guard lock(mutex_);
  int64_t from = options.resourceVersion.empty() ? version_ : std::stoll(options.resourceVersion);
  if (from < compactedVersion_) {
    fail(410, "Expired", "too old resource version", "WATCH", resource, ns, "");
  }
  return std::make_unique<Stream>(*this, resourceKeyOf(resource), std::string(ns),
                                  options.labelSelector, from, watchGeneration_);
}

std::vector<ApiResource> FakeClient::discover(std::string_view groupVersion) {
  std::vector<ApiResource> out;
  for (const GroupVersionResource& r :
       {resources::namespaces(), resources::nodes(), resources::pods(), resources::configMaps(),
        resources::leases(), resources::events(), resources::deployments()}) {
    if (r.apiVersion() == groupVersion) {
      out.push_back(ApiResource{r, "", {"get", "list", "watch"}, {}});
    }
  }
  return out;
}

void FakeClient::compact() {
  std::lock_guard lock(mutex_);
  compactedVersion_ = version_;
  history_.clear();
  ++watchGeneration_;
  changed_.notify_all();
}

void FakeClient::closeWatches() {
  std::lock_guard lock(mutex_);
  ++watchGeneration_;
  changed_.notify_all();
}

std::vector<json> FakeClient::objects(const ResourceRef& resource) const {
  std::lock_guard lock(mutex_);
  std::vector<json> out;
  auto bucket = objects_.find(resourceKeyOf(resource));
  if (bucket != objects_.end()) {
    for (const auto& [_, object] : bucket->second) {
      out.push_back(object);
    }
  }
  return out;
}

std::vector<std::string> FakeClient::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

}  // namespace landlord::kube
