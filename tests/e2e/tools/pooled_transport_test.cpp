#include "pooled_transport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "landlord/operator/base/errors.h"
#include "landlord/operator/base/logging.h"
#include "landlord/operator/server/http_server.h"

namespace landlord::hollow {
namespace {

// The operator's own endpoint server answers one request per connection and
// closes it: every request through the pool exercises the reconnect path.
class PooledTransportTest : public ::testing::Test {
 protected:
  PooledTransportTest() {
    server_.handle("/count", [this](const kube::EndpointRequest& request) {
      return kube::EndpointResponse{200, "text/plain",
                                    request.method + " " + std::to_string(++served_)};
    });
    server_.listen();
    thread_ = std::jthread([this](std::stop_token stop) { server_.run(stop); });
    config_.server = "http://127.0.0.1:" + std::to_string(server_.port());
    config_.timeout = std::chrono::seconds(5);
  }
  ~PooledTransportTest() override { thread_.request_stop(); }

  static kube::HttpRequest get(std::string path) {
    kube::HttpRequest request;
    request.method = "GET";
    request.path = std::move(path);
    return request;
  }

  std::atomic<int> served_{0};
  kube::EndpointServer server_{
      "test", "127.0.0.1:0",
      kube::Logger(kube::makeSpdlogLogger("t", kube::LogFormat::text, spdlog::level::off))};
  std::jthread thread_;
  kube::RestConfig config_;
};

TEST_F(PooledTransportTest, SendsRequestsAndReconnectsAfterTheServerCloses) {
  const auto transport = makePooledHttpTransport(config_);
  for (int i = 1; i <= 3; ++i) {
    const kube::HttpResponse response = transport->send(get("/count"));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "GET " + std::to_string(i));
  }
  EXPECT_EQ(transport->send(get("/elsewhere")).status, 404);
}

TEST_F(PooledTransportTest, ConcurrentCallersEachGetTheirOwnAnswer) {
  const auto transport = makePooledHttpTransport(config_);
  std::atomic<int> ok{0};
  {
    std::vector<std::jthread> callers;
    for (int c = 0; c < 4; ++c) {
      callers.emplace_back([&] {
        for (int i = 0; i < 10; ++i) {
          if (transport->send(get("/count")).status == 200)
            ++ok;
        }
      });
    }
  }
  EXPECT_EQ(ok.load(), 40);
  EXPECT_EQ(served_.load(), 40);
}

TEST_F(PooledTransportTest, NoServerIsATransportErrorNamingTheRequest) {
  config_.server = "http://127.0.0.1:1";
  const auto transport = makePooledHttpTransport(config_);
  try {
    transport->send(get("/count"));
    FAIL() << "expected a TransportError";
  } catch (const kube::TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("/count"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
  }
}

TEST_F(PooledTransportTest, WatchesAreRefusedWithAReason) {
  const auto transport = makePooledHttpTransport(config_);
  try {
    transport->stream(get("/api/v1/nodes?watch=true"), std::chrono::seconds(1));
    FAIL() << "expected a TransportError";
  } catch (const kube::TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("serves no streams"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace landlord::hollow
