#include "landlord/operator/webhook/webhook_server.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "landlord/operator/metrics/metrics.h"
#include "test_tls.h"

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::HttpReply;
using testing::TlsTestClient;

Logger quietLogger() {
  return Logger(makeSpdlogLogger("t", LogFormat::text, spdlog::level::off));
}

std::string runtimeErrorOf(WebhookServer& server) {
  try {
    server.listen();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "<no error>";
}

class WebhookServerTest : public ::testing::Test {
 protected:
  WebhookServerTest() : pki_(testing::makeTestPki("landlord-test-ca-1")) {
    installPair(pki_.serverCertificate, pki_.serverKey);
    options_.bindAddress = "127.0.0.1:0";
    options_.certDir = certDir_.path().string();
    options_.registry = &registry_;
    // Tests never sleep: every handshake looks at the files.
    options_.certificateCheckInterval = 0ms;
  }

  ~WebhookServerTest() override {
    if (thread_.joinable()) {
      thread_.request_stop();
    }
  }

  void installPair(const std::string& certificate, const std::string& key) {
    testing::replaceFile(certDir_.path() / "tls.crt", certificate);
    testing::replaceFile(certDir_.path() / "tls.key", key);
  }

  void start(Logger logger = quietLogger()) {
    server_ = std::make_unique<WebhookServer>(options_, std::move(logger));
    server_->handle({"/validate-poollease", [](const AdmissionRequest& request) {
                       AdmissionResponse response = AdmissionResponse::allow();
                       response.warnings = {"saw " + request.name};
                       return response;
                     }});
    server_->handle({"/deny", [](const AdmissionRequest& request) {
                       return AdmissionResponse::deny("no leases named " + request.name);
                     }});
    server_->handle({"/throws", [](const AdmissionRequest&) -> AdmissionResponse {
                       throw std::runtime_error("placement cache not synced");
                     }});
    server_->listen();
    ASSERT_GT(server_->port(), 0);
    thread_ = std::jthread([this](std::stop_token stop) { server_->run(stop); });
  }

  int port() const { return server_->port(); }

  testing::TempDir certDir_;
  testing::TestPki pki_;
  metrics::Registry registry_;
  WebhookServerOptions options_;
  std::unique_ptr<WebhookServer> server_;
  std::jthread thread_;  // last: stops and joins before the server goes
};

TEST_F(WebhookServerTest, AnswersAnAdmissionReviewWithTheHandlersResponse) {
  start();
  TlsTestClient client(port(), pki_.caCertificate);
  EXPECT_EQ(client.negotiatedProtocol(), "http/1.1");
  const HttpReply reply =
      client.post("/validate-poollease", testing::admissionReviewBody("uid-1", "lease-a"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.headers.find("Content-Type: application/json"), std::string::npos);
  const json review = json::parse(reply.body);
  EXPECT_EQ(review["apiVersion"], "admission.k8s.io/v1");
  EXPECT_EQ(review["kind"], "AdmissionReview");
  EXPECT_EQ(review["response"]["uid"], "uid-1");
  EXPECT_EQ(review["response"]["allowed"], true);
  EXPECT_EQ(review["response"]["warnings"], json::array({"saw lease-a"}));

  const json denied = json::parse(client.post("/deny", testing::admissionReviewBody("uid-2")).body);
  EXPECT_EQ(denied["response"]["allowed"], false);
  EXPECT_EQ(denied["response"]["status"]["code"], 403);
  EXPECT_EQ(denied["response"]["status"]["message"], "no leases named demo");
}

TEST_F(WebhookServerTest, KeepsConnectionsAliveAndServesThemConcurrently) {
  start();
  // An idle connection holds its thread but must not hold up anyone else.
  TlsTestClient idle(port(), pki_.caCertificate);
  TlsTestClient client(port(), pki_.caCertificate);
  for (const char* uid : {"uid-a", "uid-b"}) {
    const HttpReply reply = client.post("/validate-poollease", testing::admissionReviewBody(uid));
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.headers.find("Connection: close"), std::string::npos);
    EXPECT_EQ(json::parse(reply.body)["response"]["uid"], uid);
  }
  // The idle connection still works afterwards.
  EXPECT_EQ(idle.post("/validate-poollease", testing::admissionReviewBody("uid-c")).status, 200);
}

TEST_F(WebhookServerTest, PortOnlyAddressServesIpv4Loopback) {
  options_.bindAddress = ":0";  // dual-stack [::] where IPv6 exists
  start();
  TlsTestClient client(port(), pki_.caCertificate);
  EXPECT_EQ(client.post("/validate-poollease", testing::admissionReviewBody("u")).status, 200);
}

TEST_F(WebhookServerTest, AClosedConnectionFreesItsSlot) {
  options_.maxConnections = 1;
  start();
  {
    TlsTestClient first(port(), pki_.caCertificate);
    ASSERT_EQ(first.post("/validate-poollease", testing::admissionReviewBody("u1")).status, 200);
  }
  // Waits in the backlog until the first connection's thread is reaped.
  TlsTestClient second(port(), pki_.caCertificate);
  EXPECT_EQ(second.post("/validate-poollease", testing::admissionReviewBody("u2")).status, 200);
}

TEST_F(WebhookServerTest, RefusesWhatIsNotAnAdmissionReviewPost) {
  start();
  TlsTestClient client(port(), pki_.caCertificate);
  const HttpReply unknown = client.post("/mutate-nothing", testing::admissionReviewBody("u"));
  EXPECT_EQ(unknown.status, 404);
  // A 404 reads the body, so the connection stays usable.
  EXPECT_EQ(client.post("/validate-poollease", testing::admissionReviewBody("u")).status, 200);

  client.send("GET /validate-poollease HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const HttpReply get = client.readReply();
  EXPECT_EQ(get.status, 405);
  EXPECT_NE(get.headers.find("Allow: POST"), std::string::npos);

  const HttpReply text =
      client.post("/validate-poollease", testing::admissionReviewBody("u"), "text/plain");
  EXPECT_EQ(text.status, 415);
  EXPECT_NE(text.body.find("text/plain"), std::string::npos) << text.body;
  EXPECT_EQ(client
                .post("/validate-poollease", testing::admissionReviewBody("u"),
                      "application/json; charset=utf-8")
                .status,
            200);

  const HttpReply malformed = client.post("/validate-poollease", "{not json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(malformed.body.find("body is not JSON"), std::string::npos) << malformed.body;

  const HttpReply noUid = client.post(
      "/validate-poollease", R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",)"
                             R"("request":{"operation":"CREATE"}})");
  EXPECT_EQ(noUid.status, 400);
  EXPECT_EQ(noUid.body, "request.uid: missing\n");

  const HttpReply wrongVersion = client.post(
      "/validate-poollease",
      R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{}})");
  EXPECT_EQ(wrongVersion.status, 400);
  EXPECT_NE(wrongVersion.body.find("apiVersion: expected admission.k8s.io/v1"), std::string::npos);
}

TEST_F(WebhookServerTest, RefusesAnOversizedBodyBeforeReadingIt) {
  start();
  TlsTestClient client(port(), pki_.caCertificate);
  client.send(
      "POST /validate-poollease HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(10 * 1024 * 1024 + 1) + "\r\n\r\n");
  const HttpReply reply = client.readReply();
  EXPECT_EQ(reply.status, 413);
  EXPECT_NE(reply.headers.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(client.closedByServer());
}

TEST_F(WebhookServerTest, AHandlerThatThrowsDeniesWithCode500) {
  start();
  TlsTestClient client(port(), pki_.caCertificate);
  const HttpReply reply = client.post("/throws", testing::admissionReviewBody("uid-9"));
  ASSERT_EQ(reply.status, 200);
  const json review = json::parse(reply.body);
  EXPECT_EQ(review["response"]["uid"], "uid-9");
  EXPECT_EQ(review["response"]["allowed"], false);
  EXPECT_EQ(review["response"]["status"]["code"], 500);
  EXPECT_NE(
      review["response"]["status"]["message"].get<std::string>().find("placement cache not synced"),
      std::string::npos);
  // The server lives on.
  EXPECT_EQ(client.post("/validate-poollease", testing::admissionReviewBody("u")).status, 200);
}

TEST_F(WebhookServerTest, ServesARotatedCertificateOnNewConnections) {
  start();
  TlsTestClient before(port(), pki_.caCertificate);

  const testing::TestPki rotated = testing::makeTestPki("landlord-test-ca-2");
  installPair(rotated.serverCertificate, rotated.serverKey);
  EXPECT_EQ(TlsTestClient::handshakeError(port(), rotated.caCertificate), "");
  EXPECT_NE(TlsTestClient::handshakeError(port(), pki_.caCertificate), "");
  // A connection made before the rotation carries on.
  EXPECT_EQ(before.post("/validate-poollease", testing::admissionReviewBody("u")).status, 200);

  // Half-written: a new certificate whose key has not arrived yet.
  const testing::TestPki next = testing::makeTestPki("landlord-test-ca-3");
  testing::replaceFile(certDir_.path() / "tls.crt", next.serverCertificate);
  EXPECT_EQ(TlsTestClient::handshakeError(port(), rotated.caCertificate), "");
  EXPECT_NE(TlsTestClient::handshakeError(port(), next.caCertificate), "");
  // The key arrives: the new pair serves.
  testing::replaceFile(certDir_.path() / "tls.key", next.serverKey);
  EXPECT_EQ(TlsTestClient::handshakeError(port(), next.caCertificate), "");
}

TEST_F(WebhookServerTest, LogsABadPairOnceNotOnEveryHandshake) {
  std::ostringstream logText;
  start(Logger(makeSpdlogLogger(
      "webhook", LogFormat::text, spdlog::level::err,
      {std::make_shared<spdlog::sinks::ostream_sink_mt>(logText, /*force_flush=*/true)})));
  testing::replaceFile(certDir_.path() / "tls.key",
                       testing::makeTestPki("landlord-test-ca-2").serverKey);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(TlsTestClient::handshakeError(port(), pki_.caCertificate), "");
  }
  const std::string text = logText.str();
  const std::size_t first = text.find("keeping the previous certificate");
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_EQ(text.find("keeping the previous certificate", first + 1), std::string::npos) << text;
  EXPECT_NE(text.find("does not match"), std::string::npos) << text;
}

TEST_F(WebhookServerTest, ReloadsThroughTheSecretVolumeSymlinks) {
  // A Secret volume: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>.
  const auto& dir = certDir_.path();
  std::filesystem::create_directory(dir / "..v1");
  testing::replaceFile(dir / "..v1" / "tls.crt", pki_.serverCertificate);
  testing::replaceFile(dir / "..v1" / "tls.key", pki_.serverKey);
  std::filesystem::create_directory_symlink("..v1", dir / "..data");
  for (const char* name : {"tls.crt", "tls.key"}) {
    std::filesystem::remove(dir / name);
    std::filesystem::create_symlink(std::filesystem::path("..data") / name, dir / name);
  }
  start();
  EXPECT_EQ(TlsTestClient::handshakeError(port(), pki_.caCertificate), "");

  const testing::TestPki rotated = testing::makeTestPki("landlord-test-ca-2");
  std::filesystem::create_directory(dir / "..v2");
  testing::replaceFile(dir / "..v2" / "tls.crt", rotated.serverCertificate);
  testing::replaceFile(dir / "..v2" / "tls.key", rotated.serverKey);
  std::filesystem::create_directory_symlink("..v2", dir / "..data_tmp");
  std::filesystem::rename(dir / "..data_tmp", dir / "..data");
  EXPECT_EQ(TlsTestClient::handshakeError(port(), rotated.caCertificate), "");
}

TEST_F(WebhookServerTest, StartupErrorsNameTheFileOrAddress) {
  options_.certName = "missing.crt";
  WebhookServer missing(options_, quietLogger());
  const std::string missingError = runtimeErrorOf(missing);
  EXPECT_NE(missingError.find((certDir_.path() / "missing.crt").string()), std::string::npos)
      << missingError;
  EXPECT_NE(missingError.find("No such file or directory"), std::string::npos) << missingError;

  options_.certName = "tls.crt";
  const testing::TestPki other = testing::makeTestPki("other-ca");
  testing::replaceFile(certDir_.path() / "tls.key", other.serverKey);
  WebhookServer mismatched(options_, quietLogger());
  const std::string mismatchError = runtimeErrorOf(mismatched);
  EXPECT_NE(mismatchError.find("does not match"), std::string::npos) << mismatchError;
  EXPECT_NE(mismatchError.find((certDir_.path() / "tls.key").string()), std::string::npos)
      << mismatchError;

  testing::replaceFile(certDir_.path() / "tls.key", "not a key\n");
  WebhookServer garbage(options_, quietLogger());
  const std::string garbageError = runtimeErrorOf(garbage);
  EXPECT_NE(garbageError.find("cannot parse private key"), std::string::npos) << garbageError;

  testing::replaceFile(certDir_.path() / "tls.key", pki_.serverKey);
  options_.bindAddress = "127.0.0.1:notaport";
  WebhookServer badAddress(options_, quietLogger());
  const std::string addressError = runtimeErrorOf(badAddress);
  EXPECT_NE(addressError.find("127.0.0.1:notaport"), std::string::npos) << addressError;
}

TEST_F(WebhookServerTest, DropsAStalledRequestAfterTheReadTimeout) {
  options_.readTimeout = 200ms;
  start();
  TlsTestClient stalled(port(), pki_.caCertificate);
  stalled.send("POST /validate-poollease HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  const auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(stalled.closedByServer());
  EXPECT_LT(std::chrono::steady_clock::now() - began, 3s);
}

TEST_F(WebhookServerTest, StopsPromptlyWithAnIdleKeptAliveConnection) {
  options_.idleTimeout = 10min;
  start();
  TlsTestClient client(port(), pki_.caCertificate);
  ASSERT_EQ(client.post("/validate-poollease", testing::admissionReviewBody("u")).status, 200);
  const auto began = std::chrono::steady_clock::now();
  thread_.request_stop();
  thread_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - began, 2s);
  EXPECT_TRUE(client.closedByServer());
}

// A rolling upgrade stops a replica while the apiserver still sends it requests
// on kept-alive connections: one that has begun to arrive is answered, not cut.
TEST_F(WebhookServerTest, FinishesARequestThatBeganBeforeTheStop) {
  start();
  TlsTestClient client(port(), pki_.caCertificate);
  const std::string body = testing::admissionReviewBody("uid-s", "lease-s");
  client.send(
      "POST /validate-poollease HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, body.size() / 2));
  thread_.request_stop();
  // The stop is under way once the listener is closed.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      ::close(testing::connectToLoopback(port()));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } catch (const std::runtime_error&) {
      break;
    }
  }
  client.send(body.substr(body.size() / 2));
  const HttpReply reply = client.readReply();
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(json::parse(reply.body)["response"]["uid"], "uid-s");
  // No further request may follow on a connection of a stopping server.
  EXPECT_NE(reply.headers.find("Connection: close"), std::string::npos) << reply.headers;
  EXPECT_TRUE(client.closedByServer());
  thread_.join();
}

TEST_F(WebhookServerTest, CountsRequestsUnderControllerRuntimeNames) {
  start();
  TlsTestClient client(port(), pki_.caCertificate);
  client.post("/validate-poollease", testing::admissionReviewBody("u1"));
  client.post("/validate-poollease", testing::admissionReviewBody("u2"));
  client.post("/validate-poollease", "{}", "text/plain");
  const std::string text = metrics::exposition(registry_);
  // prometheus-cpp writes label names in order.
  EXPECT_NE(text.find("controller_runtime_webhook_requests_total{code=\"200\",webhook=\"/validate-"
                      "poollease\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("controller_runtime_webhook_requests_total{code=\"415\",webhook=\"/validate-"
                      "poollease\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("controller_runtime_webhook_requests_in_flight{webhook=\"/validate-"
                      "poollease\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("controller_runtime_webhook_latency_seconds_count{webhook=\"/validate-"
                      "poollease\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("controller_runtime_webhook_latency_seconds_bucket{webhook=\"/validate-"
                      "poollease\",le=\"10\"} 3\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace landlord::kube
