#include "landlord/operator/server/http_server.h"

#include <gtest/gtest.h>

#include <thread>

#include "landlord/operator/healthz/health.h"
#include "raw_http.h"

namespace landlord::kube {
namespace {

Logger quietLogger() {
  return Logger(makeSpdlogLogger("t", LogFormat::text, spdlog::level::off));
}

using testing::HttpReply;
using testing::httpRequest;

class ServerFixture : public ::testing::Test {
 protected:
  void start() {
    server_.listen();
    thread_ = std::jthread([this](std::stop_token stop) { server_.run(stop); });
  }
  ~ServerFixture() override { thread_.request_stop(); }
  EndpointServer server_{"probe", "127.0.0.1:0", quietLogger()};
  std::jthread thread_;
};

TEST_F(ServerFixture, BindsPortZeroAndServesRoutes) {
  server_.handle("/hello", [](const EndpointRequest& request) {
    return EndpointResponse{200, "text/plain", "hi " + request.query.at("who")};
  });
  start();
  ASSERT_GT(server_.port(), 0);
  const HttpReply reply = httpRequest(server_.port(), "/hello?who=a%20b");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "hi a b");
  EXPECT_NE(reply.headers.find("Content-Length: 6"), std::string::npos);
  EXPECT_EQ(httpRequest(server_.port(), "/nope").status, 404);
  EXPECT_EQ(httpRequest(server_.port(), "/hello", "POST").status, 405);
  const HttpReply head = httpRequest(server_.port(), "/hello?who=x", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
}

TEST_F(ServerFixture, HealthAndReadinessLikeKubernetes) {
  HealthChecks healthz("healthz", quietLogger());
  healthz.add("ping", [] { return std::nullopt; });
  HealthChecks readyz("readyz", quietLogger());
  std::atomic<bool> synced{false};
  readyz.add("ping", [] { return std::nullopt; });
  readyz.add("informers-synced", [&]() -> std::optional<std::string> {
    return synced ? std::nullopt : std::optional<std::string>("caches not synced");
  });
  healthz.serveOn(server_);
  readyz.serveOn(server_);
  start();
  const int port = server_.port();

  EXPECT_EQ(httpRequest(port, "/healthz").status, 200);
  EXPECT_EQ(httpRequest(port, "/healthz").body, "ok");
  EXPECT_EQ(httpRequest(port, "/healthz?verbose").body, "[+]ping ok\nhealthz check passed\n");

  const HttpReply notReady = httpRequest(port, "/readyz");
  EXPECT_EQ(notReady.status, 500);
  EXPECT_EQ(notReady.body,
            "[+]ping ok\n[-]informers-synced failed: reason withheld\nreadyz check failed\n");
  EXPECT_EQ(httpRequest(port, "/readyz/informers-synced").status, 500);
  EXPECT_EQ(httpRequest(port, "/readyz/ping").status, 200);
  EXPECT_EQ(httpRequest(port, "/readyz/unknown").status, 404);

  synced = true;
  EXPECT_EQ(httpRequest(port, "/readyz").status, 200);
  EXPECT_EQ(httpRequest(port, "/readyz?verbose=1").body,
            "[+]ping ok\n[+]informers-synced ok\nreadyz check passed\n");
}

TEST(EndpointServerTest, BadAddressesFailWithTheAddressInTheMessage) {
  EXPECT_THROW(parseBindAddress("8080"), std::invalid_argument);
  EXPECT_THROW(parseBindAddress(":99999"), std::invalid_argument);
  EXPECT_THROW(parseBindAddress(":http"), std::invalid_argument);
  EXPECT_EQ(parseBindAddress(":8080").port, 8080);
  EXPECT_EQ(parseBindAddress(":8080").host, "");
  EXPECT_EQ(parseBindAddress("[::1]:9").host, "::1");
  EndpointServer server("metrics", "256.0.0.1:0", quietLogger());
  try {
    server.listen();
    FAIL() << "listen should fail";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("256.0.0.1:0"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace landlord::kube
