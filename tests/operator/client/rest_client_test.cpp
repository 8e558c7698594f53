#include "landlord/operator/client/rest_client.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>

namespace landlord::kube {
namespace {

using nlohmann::json;

// Records requests and answers from a script; no network.
class ScriptedTransport final : public Transport {
 public:
  struct Shared {
    std::mutex mutex;
    std::vector<HttpRequest> requests;             // guarded by mutex
    std::deque<HttpResponse> responses;            // guarded by mutex
    std::deque<std::vector<std::string>> streams;  // watch bodies, guarded by mutex
  };
  explicit ScriptedTransport(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  HttpResponse send(const HttpRequest& request) override {
    std::lock_guard lock(shared_->mutex);
    shared_->requests.push_back(request);
    if (shared_->responses.empty()) {
      return HttpResponse{200, "{}", std::nullopt};
    }
    HttpResponse response = shared_->responses.front();
    shared_->responses.pop_front();
    return response;
  }

  class Lines final : public ResponseStream {
   public:
    Lines(int status, std::vector<std::string> lines) : status_(status), lines_(std::move(lines)) {}
    int status() const override { return status_; }
    std::optional<std::string> readLine() override {
      if (next_ >= lines_.size())
        return std::nullopt;
      return lines_[next_++];
    }
    std::string readAll() override { return lines_.empty() ? "" : lines_.front(); }
    void cancel() override { next_ = lines_.size(); }

   private:
    int status_;
    std::vector<std::string> lines_;
    std::size_t next_ = 0;
  };

  std::unique_ptr<ResponseStream> stream(const HttpRequest& request,
                                         std::chrono::milliseconds) override {
    std::lock_guard lock(shared_->mutex);
    shared_->requests.push_back(request);
    HttpResponse head = shared_->responses.empty() ? HttpResponse{200, "", std::nullopt}
                                                   : shared_->responses.front();
    if (!shared_->responses.empty())
      shared_->responses.pop_front();
    std::vector<std::string> lines;
    if (!shared_->streams.empty()) {
      lines = shared_->streams.front();
      shared_->streams.pop_front();
    }
    if (head.status != 200)
      lines = {head.body};
    return std::make_unique<Lines>(head.status, lines);
  }

  std::string server() const override { return "https://api.test:6443"; }

 private:
  std::shared_ptr<Shared> shared_;
};

class RecordingObserver final : public RequestObserver {
 public:
  void observe(const RequestObservation& o) override { seen.push_back(o); }
  std::vector<RequestObservation> seen;
};

class KubeRestClient : public ::testing::Test {
 protected:
  KubeRestClient()
      : shared_(std::make_shared<ScriptedTransport::Shared>()),
        client_(makeRestClient(std::make_unique<ScriptedTransport>(shared_),
                               RestClientOptions{&observer_, 0, 0})) {}

  void respond(int status, json body) {
    shared_->responses.push_back(HttpResponse{status, body.dump(), std::nullopt});
  }
  const HttpRequest& last() const { return shared_->requests.back(); }

  std::shared_ptr<ScriptedTransport::Shared> shared_;
  RecordingObserver observer_;
  std::unique_ptr<Client> client_;
};

json status(int code, const std::string& reason, const std::string& message) {
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
          {"code", code},     {"reason", reason},   {"message", message}};
}

TEST_F(KubeRestClient, BuildsPathsForCoreGroupAndClusterScopedResources) {
  client_->get(resources::pods(), "team-a", "web-0");
  EXPECT_EQ(last().method, "GET");
  EXPECT_EQ(last().path, "/api/v1/namespaces/team-a/pods/web-0");
  client_->get(resources::nodes(), "ignored", "gpu-node-1");
  EXPECT_EQ(last().path, "/api/v1/nodes/gpu-node-1");
  GroupVersionResource pools{"landlord.dev", "v1alpha1", "gpupools", false, "GPUPool"};
  GetOptions status;
  status.subresource = "status";
  client_->get(pools, "", "colossus-1", status);
  EXPECT_EQ(last().path, "/apis/landlord.dev/v1alpha1/gpupools/colossus-1/status");
  client_->get(resources::leases(), "kube-system", "landlord");
  EXPECT_EQ(last().path, "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/landlord");
}

TEST_F(KubeRestClient, ListEncodesSelectorsAndPagination) {
  respond(200, {{"kind", "ConfigMapList"},
                {"metadata",
                 {{"resourceVersion", "42"}, {"continue", "tok=="}, {"remainingItemCount", 7}}},
                {"items", json::array({{{"metadata", {{"name", "a"}}}}})}});
  ListOptions options;
  options.labelSelector = "app=web,tier in (a,b)";
  options.fieldSelector = "metadata.name!=x";
  options.limit = 2;
  options.continueToken = "abc/+=";
  ObjectList list = client_->list(resources::configMaps(), "ns1", options);
  EXPECT_EQ(last().path,
            "/api/v1/namespaces/ns1/configmaps?labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29"
            "&fieldSelector=metadata.name%21%3Dx&limit=2&continue=abc%2F%2B%3D");
  ASSERT_EQ(list.items.size(), 1u);
  EXPECT_EQ(list.items[0]["kind"], "ConfigMap");
  EXPECT_EQ(list.items[0]["apiVersion"], "v1");
  EXPECT_EQ(list.resourceVersion, "42");
  EXPECT_EQ(list.continueToken, "tok==");
  EXPECT_EQ(list.remainingItemCount, 7);
}

TEST_F(KubeRestClient, ListAllFollowsContinueTokens) {
  respond(200, {{"metadata", {{"continue", "p2"}}},
                {"items", json::array({{{"metadata", {{"name", "a"}}}}})}});
  respond(200, {{"metadata", {{"resourceVersion", "9"}}},
                {"items", json::array({{{"metadata", {{"name", "b"}}}}})}});
  ObjectList all = listAll(*client_, resources::configMaps(), "", ListOptions{});
  ASSERT_EQ(all.items.size(), 2u);
  EXPECT_EQ(all.resourceVersion, "9");
  EXPECT_EQ(shared_->requests[0].path, "/api/v1/configmaps?limit=500");
  EXPECT_EQ(shared_->requests[1].path, "/api/v1/configmaps?limit=500&continue=p2");
}

TEST_F(KubeRestClient, UpdateConflictIsADistinctErrorNamingServerAndRequest) {
  respond(409, status(409, "Conflict", "the object has been modified"));
  json cm = {{"metadata", {{"name", "c"}, {"namespace", "n"}, {"resourceVersion", "5"}}}};
  try {
    client_->update(resources::configMaps(), cm);
    FAIL() << "expected ConflictError";
  } catch (const ConflictError& error) {
    EXPECT_EQ(error.code(), 409);
    EXPECT_EQ(std::string(error.what()),
              "PUT https://api.test:6443/api/v1/namespaces/n/configmaps/c: 409 Conflict: the "
              "object has been modified");
  }
  EXPECT_EQ(last().method, "PUT");
  EXPECT_EQ(json::parse(last().body)["metadata"]["resourceVersion"], "5");
}

TEST_F(KubeRestClient, AlreadyExistsIsNotAConflict) {
  respond(409, status(409, "AlreadyExists", "configmaps \"c\" already exists"));
  EXPECT_THROW(client_->create(resources::configMaps(), "n", {{"metadata", {{"name", "c"}}}}),
               AlreadyExistsError);
  EXPECT_EQ(last().method, "POST");
  EXPECT_EQ(last().path, "/api/v1/namespaces/n/configmaps");
}

TEST_F(KubeRestClient, PatchTypesUseTheirContentTypesAndApplyOptions) {
  client_->patch(resources::nodes(), "", "n1", PatchType::Merge,
                 {{"spec", {{"unschedulable", true}}}});
  EXPECT_EQ(last().contentType, "application/merge-patch+json");
  client_->patch(resources::nodes(), "", "n1", PatchType::Json,
                 json::array({{{"op", "remove"}, {"path", "/spec/taints/0"}}}));
  EXPECT_EQ(last().contentType, "application/json-patch+json");
  PatchOptions apply;
  apply.fieldManager = "landlord";
  apply.force = true;
  client_->patch(resources::nodes(), "", "n1", PatchType::ServerSideApply, {{"apiVersion", "v1"}},
                 apply);
  EXPECT_EQ(last().contentType, "application/apply-patch+yaml");
  EXPECT_EQ(last().path, "/api/v1/nodes/n1?fieldManager=landlord&force=true");
  EXPECT_THROW(
      client_->patch(resources::nodes(), "", "n1", PatchType::ServerSideApply, json::object()),
      std::invalid_argument);
}

TEST_F(KubeRestClient, PatchWithoutDecodingReadsNoBodyAndStillThrowsErrors) {
  // Not even JSON: a decoding client would throw.
  shared_->responses.push_back(HttpResponse{200, "{\"metadata\": {", std::nullopt});
  PatchOptions quiet;
  quiet.decodeResult = false;
  EXPECT_EQ(client_->patch(resources::nodes(), "", "n1", PatchType::Merge,
                           {{"spec", {{"unschedulable", true}}}}, quiet),
            json::object());
  EXPECT_EQ(last().method, "PATCH");
  respond(409, status(409, "Conflict", "the object has been modified"));
  EXPECT_THROW(client_->patch(resources::nodes(), "", "n1", PatchType::Merge,
                              {{"spec", {{"unschedulable", true}}}}, quiet),
               ConflictError);
}

TEST_F(KubeRestClient, DeleteSendsPreconditionsPropagationAndGrace) {
  DeleteOptions options;
  options.preconditionUid = "u-1";
  options.preconditionResourceVersion = "17";
  options.propagationPolicy = PropagationPolicy::Foreground;
  options.gracePeriodSeconds = 0;
  client_->remove(resources::pods(), "n", "p", options);
  EXPECT_EQ(last().method, "DELETE");
  json body = json::parse(last().body);
  EXPECT_EQ(body["preconditions"]["uid"], "u-1");
  EXPECT_EQ(body["preconditions"]["resourceVersion"], "17");
  EXPECT_EQ(body["propagationPolicy"], "Foreground");
  EXPECT_EQ(body["gracePeriodSeconds"], 0);
}

TEST_F(KubeRestClient, EvictionPostsToThePodsEvictionSubresource) {
  respond(429, status(429, "TooManyRequests",
                      "Cannot evict pod as it would violate the pod's disruption budget."));
  EXPECT_THROW(evictPod(*client_, "team", "web-0"), TooManyRequestsError);
  EXPECT_EQ(last().method, "POST");
  EXPECT_EQ(last().path, "/api/v1/namespaces/team/pods/web-0/eviction");
  EXPECT_EQ(json::parse(last().body)["kind"], "Eviction");
}

TEST_F(KubeRestClient, ObserverSeesMethodHostAndCode) {
  respond(404, status(404, "NotFound", "nodes \"x\" not found"));
  EXPECT_THROW(client_->get(resources::nodes(), "", "x"), NotFoundError);
  ASSERT_EQ(observer_.seen.size(), 1u);
  EXPECT_EQ(observer_.seen[0].method, "GET");
  EXPECT_EQ(observer_.seen[0].host, "api.test:6443");
  EXPECT_EQ(observer_.seen[0].code, 404);
}

TEST_F(KubeRestClient, WatchParsesEventsAndThrowsGoneOnExpiredVersion) {
  shared_->streams.push_back({
      R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"11"}}})",
      R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"12"}}})",
      R"json({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 5 (11)"}})json",
  });
  WatchOptions options;
  options.resourceVersion = "5";
  options.timeoutSeconds = 60;
  auto stream = client_->watch(resources::nodes(), "", options);
  EXPECT_EQ(
      last().path,
      "/api/v1/nodes?watch=true&resourceVersion=5&allowWatchBookmarks=true&timeoutSeconds=60");
  auto added = stream->next();
  ASSERT_TRUE(added);
  EXPECT_EQ(added->type, WatchEventType::Added);
  EXPECT_EQ(added->object["metadata"]["name"], "a");
  auto bookmark = stream->next();
  ASSERT_TRUE(bookmark);
  EXPECT_EQ(bookmark->type, WatchEventType::Bookmark);
  EXPECT_THROW(stream->next(), GoneError);
}

TEST_F(KubeRestClient, WatchRefusedUpFrontThrowsTheDecodedStatus) {
  respond(403, status(403, "Forbidden", "nodes is forbidden: User \"x\" cannot watch"));
  EXPECT_THROW(client_->watch(resources::nodes(), "", WatchOptions{}), ForbiddenError);
}

TEST_F(KubeRestClient, DiscoveryResolvesKindsToPluralsAndSkipsSubresources) {
  respond(
      200,
      {{"kind", "APIResourceList"},
       {"groupVersion", "landlord.dev/v1alpha1"},
       {"resources",
        json::array(
            {{{"name", "gpupools"}, {"kind", "GPUPool"}, {"namespaced", false}, {"verbs", {"get"}}},
             {{"name", "gpupools/status"}, {"kind", "GPUPool"}, {"namespaced", false}},
             {{"name", "placements"}, {"kind", "Placement"}, {"namespaced", true}}})}});
  GroupVersionResource placement = resolveKind(*client_, "landlord.dev/v1alpha1", "Placement");
  EXPECT_EQ(last().path, "/apis/landlord.dev/v1alpha1");
  EXPECT_EQ(placement.resource, "placements");
  EXPECT_TRUE(placement.namespaced);
  GroupVersionResource pool = resolveKind(*client_, "landlord.dev/v1alpha1", "GPUPool");
  EXPECT_EQ(pool.resource, "gpupools");
  EXPECT_FALSE(pool.namespaced);
  EXPECT_EQ(shared_->requests.size(), 1u);  // cached
  EXPECT_THROW(resolveKind(*client_, "landlord.dev/v1alpha1", "Tenant"), NotFoundError);
}

}  // namespace
}  // namespace landlord::kube
