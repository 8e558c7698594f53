#include "landlord/operator/client/rest_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include "landlord/operator/base/clock.h"
#include "landlord/operator/flowcontrol/rate_limiter.h"

namespace landlord::kube {
namespace {

using nlohmann::json;

class QueryBuilder {
 public:
  QueryBuilder& add(std::string_view key, std::string_view value) {
    if (!value.empty()) {
      query_ += query_.empty() ? "?" : "&";
      query_.append(key).append("=").append(encodeQueryValue(value));
    }
    return *this;
  }
  std::string str() const { return query_; }

 private:
  std::string query_;
};

std::string hostOf(const std::string& server) {
  std::size_t start = server.find("://");
  std::string rest = start == std::string::npos ? server : server.substr(start + 3);
  return rest.substr(0, rest.find('/'));
}

const char* contentTypeOf(PatchType type) {
  switch (type) {
    case PatchType::Merge:
      return "application/merge-patch+json";
    case PatchType::Json:
      return "application/json-patch+json";
    case PatchType::Strategic:
      return "application/strategic-merge-patch+json";
    case PatchType::ServerSideApply:
      return "application/apply-patch+yaml";
  }
  return "application/merge-patch+json";
}

WatchEventType parseEventType(const std::string& type) {
  if (type == "ADDED")
    return WatchEventType::Added;
  if (type == "MODIFIED")
    return WatchEventType::Modified;
  if (type == "DELETED")
    return WatchEventType::Deleted;
  if (type == "BOOKMARK")
    return WatchEventType::Bookmark;
  return WatchEventType::Error;
}

std::string metadataField(const json& object, const char* field) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) {
    return {};
  }
  return metadata->value(field, "");
}

class RestWatchStream final : public WatchStream {
 public:
  RestWatchStream(std::unique_ptr<ResponseStream> stream, RequestContext context)
      : stream_(std::move(stream)), context_(std::move(context)) {}

  std::optional<WatchEvent> next() override {
    while (true) {
      std::optional<std::string> line = stream_->readLine();
      if (!line) {
        return std::nullopt;
      }
      if (line->empty()) {
        continue;
      }
      json frame = json::parse(*line, nullptr, /*allow_exceptions=*/false);
      if (!frame.is_object() || !frame.contains("type")) {
        throw TransportError(context_, "malformed watch event: " + line->substr(0, 200));
      }
      WatchEvent event;
      event.type = parseEventType(frame.value("type", ""));
      event.object = std::move(frame["object"]);
      if (event.type == WatchEventType::Error) {
        Status status = decodeStatus(0, event.object.dump());
        if (status.code == 410 || status.reason == "Expired" || status.reason == "Gone") {
          throw GoneError(context_, std::move(status));
        }
      }
      return event;
    }
  }

  void stop() override { stream_->cancel(); }

 private:
  std::unique_ptr<ResponseStream> stream_;
  const RequestContext context_;
};

class RestClient final : public Client {
 public:
  RestClient(std::unique_ptr<Transport> transport, RestClientOptions options)
      : transport_(std::move(transport)),
        host_(hostOf(transport_->server())),
        observer_(options.observer),
        throttle_(options.qps > 0 ? std::make_unique<BucketRateLimiter>(
                                        options.qps, std::max(1, options.burst), clock_)
                                  : nullptr) {}

  json get(const ResourceRef& resource, std::string_view ns, std::string_view name,
           const GetOptions& options) override {
    requireName(resource, name);
    std::string path = resourcePath(resource, ns, name, options.subresource) +
                       QueryBuilder().add("resourceVersion", options.resourceVersion).str();
    return call({"GET", path, "", ""});
  }

  ObjectList list(const ResourceRef& resource, std::string_view ns,
                  const ListOptions& options) override {
    json body = call({"GET", resourcePath(resource, ns) + listQuery(options), "", ""});
    ObjectList list;
    if (auto items = body.find("items"); items != body.end() && items->is_array()) {
      list.items.reserve(items->size());
      for (json& item : *items) {
        // Items of a list carry no apiVersion/kind; restore them.
        if (!item.contains("apiVersion")) {
          item["apiVersion"] = resource.apiVersion();
        }
        if (!item.contains("kind") && !resource.kind.empty()) {
          item["kind"] = resource.kind;
        }
        list.items.push_back(std::move(item));
      }
    }
    list.resourceVersion = metadataField(body, "resourceVersion");
    list.continueToken = metadataField(body, "continue");
    if (auto metadata = body.find("metadata"); metadata != body.end()) {
      if (auto remaining = metadata->find("remainingItemCount");
          remaining != metadata->end() && remaining->is_number_integer()) {
        list.remainingItemCount = remaining->get<int64_t>();
      }
    }
    return list;
  }

  json create(const ResourceRef& resource, std::string_view ns, const json& object,
              const CreateOptions& options) override {
    std::string path =
        options.subresource.empty()
            ? resourcePath(resource, ns)
            : resourcePath(resource, ns, metadataField(object, "name"), options.subresource);
    path += QueryBuilder()
                .add("fieldManager", options.fieldManager)
                .add("dryRun", options.dryRun ? "All" : "")
                .str();
    return call({"POST", path, "application/json", object.dump()});
  }

  json update(const ResourceRef& resource, const json& object,
              const UpdateOptions& options) override {
    std::string name = metadataField(object, "name");
    requireName(resource, name);
    std::string path =
        resourcePath(resource, metadataField(object, "namespace"), name, options.subresource) +
        QueryBuilder()
            .add("fieldManager", options.fieldManager)
            .add("dryRun", options.dryRun ? "All" : "")
            .str();
    return call({"PUT", path, "application/json", object.dump()});
  }

  json patch(const ResourceRef& resource, std::string_view ns, std::string_view name,
             PatchType type, const json& patch, const PatchOptions& options) override {
    requireName(resource, name);
    if (type == PatchType::ServerSideApply && options.fieldManager.empty()) {
      throw std::invalid_argument("server-side apply of " + resource.displayName() + " " +
                                  objectKey(ns, name) + " needs a fieldManager");
    }
    std::string path = resourcePath(resource, ns, name, options.subresource) +
                       QueryBuilder()
                           .add("fieldManager", options.fieldManager)
                           .add("force", options.force ? (*options.force ? "true" : "false") : "")
                           .add("dryRun", options.dryRun ? "All" : "")
                           .str();
    return call({"PATCH", path, contentTypeOf(type), patch.dump()}, options.decodeResult);
  }

  json remove(const ResourceRef& resource, std::string_view ns, std::string_view name,
              const DeleteOptions& options) override {
    requireName(resource, name);
    return call(
        {"DELETE", resourcePath(resource, ns, name), "application/json", options.toJson().dump()});
  }

  std::unique_ptr<WatchStream> watch(const ResourceRef& resource, std::string_view ns,
                                     const WatchOptions& options) override {
    HttpRequest request{"GET", resourcePath(resource, ns) + watchQuery(options), "", ""};
    RequestContext context{transport_->server(), request.method, request.path};
    throttle();
    auto started = std::chrono::steady_clock::now();
    std::unique_ptr<ResponseStream> stream;
    try {
      // The server ends the watch after timeoutSeconds; allow a margin of
      // silence beyond it before calling the connection dead.
      auto idle = std::chrono::seconds(options.timeoutSeconds.value_or(1800) + 30);
      stream = transport_->stream(request, idle);
    } catch (const TransportError&) {
      observe("GET", 0, started);
      throw;
    }
    observe("GET", stream->status(), started);  // client-go labels watches GET too
    if (stream->status() != 200) {
      throwApiError(context, decodeStatus(stream->status(), stream->readAll()));
    }
    return std::make_unique<RestWatchStream>(std::move(stream), std::move(context));
  }

  std::vector<ApiResource> discover(std::string_view groupVersion) override {
    {
      std::lock_guard lock(discoveryMutex_);
      auto cached = discovery_.find(std::string(groupVersion));
      if (cached != discovery_.end()) {
        return cached->second;
      }
    }
    std::string gv(groupVersion);
    std::size_t slash = gv.find('/');
    std::string group = slash == std::string::npos ? "" : gv.substr(0, slash);
    std::string version = slash == std::string::npos ? gv : gv.substr(slash + 1);
    std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
    json body = call({"GET", path, "", ""});
    std::vector<ApiResource> resources;
    for (const json& item : body.value("resources", json::array())) {
      std::string name = item.value("name", "");
      if (name.find('/') != std::string::npos) {
        continue;  // a subresource such as pods/status
      }
      ApiResource resource;
      resource.resource = GroupVersionResource{
          group, version, name, item.value("namespaced", false), item.value("kind", "")};
      resource.singularName = item.value("singularName", "");
      resource.verbs = item.value("verbs", std::vector<std::string>{});
      resource.shortNames = item.value("shortNames", std::vector<std::string>{});
      resources.push_back(std::move(resource));
    }
    std::lock_guard lock(discoveryMutex_);
    discovery_[gv] = resources;
    return resources;
  }

  void invalidateDiscovery() override {
    std::lock_guard lock(discoveryMutex_);
    discovery_.clear();
  }

  std::string server() const override { return transport_->server(); }

 private:
  static void requireName(const ResourceRef& resource, std::string_view name) {
    if (name.empty()) {
      throw std::invalid_argument("a " + resource.displayName() + " request needs a name");
    }
  }

  void throttle() {
    if (!throttle_) {
      return;
    }
    Clock::Duration delay = throttle_->when("");
    if (delay > Clock::Duration::zero()) {
      std::this_thread::sleep_for(delay);
    }
  }

  void observe(const std::string& method, int code, std::chrono::steady_clock::time_point started) {
    if (observer_ != nullptr) {
      observer_->observe(
          RequestObservation{method, host_, code, std::chrono::steady_clock::now() - started});
    }
  }

  // `decode`: false answers a success with an empty object, the body unread.
  json call(const HttpRequest& request, bool decode = true) {
    RequestContext context{transport_->server(), request.method, request.path};
    // Honour Retry-After on reads (429, 503) a few times, as client-go does.
    constexpr int kMaxRetries = 3;
    for (int attempt = 0;; ++attempt) {
      throttle();
      auto started = std::chrono::steady_clock::now();
      HttpResponse response;
      try {
        response = transport_->send(request);
      } catch (const TransportError&) {
        observe(request.method, 0, started);
        throw;
      }
      observe(request.method, response.status, started);
      if (response.status >= 200 && response.status < 300) {
        if (!decode || response.body.empty()) {
          return json::object();
        }
        json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
        if (body.is_discarded()) {
          throw TransportError(context, "response is not JSON: " + response.body.substr(0, 200));
        }
        return body;
      }
      if (request.method == "GET" && attempt < kMaxRetries && response.retryAfterSeconds &&
          (response.status == 429 || response.status >= 500)) {
        int seconds = std::clamp(*response.retryAfterSeconds, 1, 10);
        spdlog::debug("{}: {} with Retry-After {}s; retrying", context.describe(), response.status,
                      seconds);
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        continue;
      }
      Status status = decodeStatus(response.status, response.body);
      if (!status.retryAfterSeconds) {
        status.retryAfterSeconds = response.retryAfterSeconds;
      }
      throwApiError(context, std::move(status));
    }
  }

  std::unique_ptr<Transport> transport_;
  const std::string host_;
  RequestObserver* const observer_;
  SteadyClock clock_;
  std::unique_ptr<RateLimiter> throttle_;  // thread-safe itself
  std::mutex discoveryMutex_;
  std::map<std::string, std::vector<ApiResource>> discovery_;  // guarded by discoveryMutex_
};

}  // namespace

std::string listQuery(const ListOptions& options) {
  return QueryBuilder()
      .add("labelSelector", options.labelSelector)
      .add("fieldSelector", options.fieldSelector)
      .add("limit", options.limit > 0 ? std::to_string(options.limit) : "")
      .add("continue", options.continueToken)
      .add("resourceVersion", options.resourceVersion)
      .add("resourceVersionMatch", options.resourceVersionMatch)
      .add("timeoutSeconds", options.timeoutSeconds ? std::to_string(*options.timeoutSeconds) : "")
      .str();
}

std::string watchQuery(const WatchOptions& options) {
  return QueryBuilder()
      .add("watch", "true")
      .add("labelSelector", options.labelSelector)
      .add("fieldSelector", options.fieldSelector)
      .add("resourceVersion", options.resourceVersion)
      .add("allowWatchBookmarks", options.allowWatchBookmarks ? "true" : "")
      .add("timeoutSeconds", options.timeoutSeconds ? std::to_string(*options.timeoutSeconds) : "")
      .str();
}

nlohmann::json DeleteOptions::toJson() const {
  json body = {{"apiVersion", "v1"}, {"kind", "DeleteOptions"}};
  if (preconditionUid || preconditionResourceVersion) {
    json preconditions = json::object();
    if (preconditionUid)
      preconditions["uid"] = *preconditionUid;
    if (preconditionResourceVersion) {
      preconditions["resourceVersion"] = *preconditionResourceVersion;
    }
    body["preconditions"] = preconditions;
  }
  if (propagationPolicy) {
    switch (*propagationPolicy) {
      case PropagationPolicy::Orphan:
        body["propagationPolicy"] = "Orphan";
        break;
      case PropagationPolicy::Background:
        body["propagationPolicy"] = "Background";
        break;
      case PropagationPolicy::Foreground:
        body["propagationPolicy"] = "Foreground";
        break;
    }
  }
  if (gracePeriodSeconds)
    body["gracePeriodSeconds"] = *gracePeriodSeconds;
  if (dryRun)
    body["dryRun"] = json::array({"All"});
  return body;
}

std::unique_ptr<Client> makeRestClient(std::unique_ptr<Transport> transport,
                                       RestClientOptions options) {
  return std::make_unique<RestClient>(std::move(transport), options);
}

std::unique_ptr<Client> makeClient(const RestConfig& config, RequestObserver* observer) {
  return makeRestClient(makeHttpsTransport(config),
                        RestClientOptions{observer, config.qps, config.burst});
}

GroupVersionResource resolveKind(Client& client, std::string_view apiVersion,
                                 std::string_view kind) {
  for (const ApiResource& resource : client.discover(apiVersion)) {
    if (resource.resource.kind == kind) {
      return resource.resource;
    }
  }
  throw NotFoundError(
      RequestContext{client.server(), "GET", "/apis/" + std::string(apiVersion)},
      Status{404,
             "NotFound",
             "kind " + std::string(kind) + " is not served under " + std::string(apiVersion),
             std::string(kind),
             "",
             {},
             std::nullopt});
}

ObjectList listAll(Client& client, const ResourceRef& resource, std::string_view ns,
                   ListOptions options) {
  if (options.limit <= 0) {
    options.limit = 500;
  }
  constexpr int kMaxRestarts = 3;
  for (int restart = 0;; ++restart) {
    ObjectList all;
    ListOptions page = options;
    page.continueToken.clear();
    try {
      while (true) {
        ObjectList part = client.list(resource, ns, page);
        std::move(part.items.begin(), part.items.end(), std::back_inserter(all.items));
        all.resourceVersion = part.resourceVersion;
        if (part.continueToken.empty()) {
          return all;
        }
        page.continueToken = part.continueToken;
      }
    } catch (const GoneError&) {
      // The continue token's snapshot was compacted: start over.
      if (restart >= kMaxRestarts) {
        throw;
      }
    }
  }
}

void evictPod(Client& client, std::string_view ns, std::string_view podName,
              const DeleteOptions& options) {
  json eviction = {{"apiVersion", "policy/v1"},
                   {"kind", "Eviction"},
                   {"metadata", {{"name", podName}, {"namespace", ns}}},
                   {"deleteOptions", options.toJson()}};
  CreateOptions create;
  create.subresource = "eviction";
  client.create(resources::pods(), ns, eviction, create);
}

}  // namespace landlord::kube
