// What the server does with requests no well-behaved client sends, with
// clients that stall or idle, and when it stops with work in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "landlord/operator/server/http_server.h"
#include "raw_http.h"

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;
using testing::HttpReply;
using testing::RawHttpClient;

Logger quietLogger() {
  return Logger(makeSpdlogLogger("t", LogFormat::text, spdlog::level::off));
}

class HostileRequestTest : public ::testing::Test {
 protected:
  HostileRequestTest() {
    options_.name = "test";
    options_.bindAddress = "127.0.0.1:0";
    options_.maxHeaderBytes = 1024;
    options_.maxBodyBytes = 100;
  }
  ~HostileRequestTest() override {
    if (thread_.joinable()) {
      thread_.request_stop();
    }
  }

  void start() {
    server_ = std::make_unique<EndpointServer>(options_, quietLogger());
    server_->handle(
        "/echo",
        [](const EndpointRequest& request) {
          return EndpointResponse{200, "text/plain", request.method + " " + request.body};
        },
        false, {"GET", "HEAD", "POST"});
    server_->handle("/slow", [this](const EndpointRequest&) {
      std::unique_lock lock(mutex_);
      entered_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return released_; });
      return EndpointResponse{200, "text/plain", "finally"};
    });
    server_->listen();
    thread_ = std::jthread([this](std::stop_token stop) { server_->run(stop); });
  }
  int port() const { return server_->port(); }

  // One request on a fresh connection: its answer, and whether the server
  // then closed the connection.
  std::pair<HttpReply, bool> exchange(const std::string& bytes) {
    RawHttpClient client(port());
    client.send(bytes);
    HttpReply reply = client.readReply();
    return {reply, client.closedByServer()};
  }

  // Sends a request to /slow and returns once its handler holds it.
  void holdARequestInFlight(RawHttpClient& client) {
    client.send("GET /slow HTTP/1.1\r\n\r\n");
    std::unique_lock lock(mutex_);
    ASSERT_TRUE(changed_.wait_for(lock, 5s, [this] { return entered_; }));
  }
  // Stops the server from another thread (stopping waits for /slow).
  std::jthread stopInTheBackground() {
    return std::jthread([this] {
      thread_.request_stop();
      thread_.join();
    });
  }
  void releaseTheRequest() {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    changed_.notify_all();
  }

  void expectServesOn() {
    const HttpReply reply = testing::httpRequest(port(), "/echo");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "GET ");
  }

  EndpointServerOptions options_;
  std::unique_ptr<EndpointServer> server_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;   // guarded by mutex_
  bool released_ = false;  // guarded by mutex_
  std::jthread thread_;    // last: stops the server before the rest goes
};

TEST_F(HostileRequestTest, MalformedRequestsGet400AndTheServerServesOn) {
  start();
  for (const char* bad : {
           "GARBAGE\r\n\r\n",                                         // request line
           "GET /echo\r\n\r\n",                                       // no version
           "GET /echo HTTP/9.9\r\n\r\n",                              // bad version
           "G\x01T /echo HTTP/1.1\r\n\r\n",                           // bad method
           "GET echo HTTP/1.1\r\nHost: x\r\n\r\n",                    // not a path
           "GET /echo?x=%zz HTTP/1.1\r\nHost: x\r\n\r\n",             // bad escape
           "POST /echo HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello",  // space in name
           "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",      // not a number
           "POST /echo HTTP/1.1\r\nContent-Length: -1\r\n\r\n",       // negative
           "POST /echo HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",  // two
           "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  // bad chunk
           "GET /echo HTTP/1.1\r\nHost x\r\n\r\n",                             // no colon
       }) {
    const auto [reply, closed] = exchange(bad);
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_NE(reply.headers.find("Connection: close"), std::string::npos) << bad;
    EXPECT_TRUE(closed) << bad;
    expectServesOn();
  }
}

TEST_F(HostileRequestTest, OversizedHeadersGet431) {
  start();
  const auto [reply, closed] =
      exchange("GET /echo HTTP/1.1\r\nX-Padding: " + std::string(2000, 'a') + "\r\n\r\n");
  EXPECT_EQ(reply.status, 431);
  EXPECT_TRUE(closed);
  // Headers that never end are refused once they pass the limit.
  RawHttpClient endless(port());
  endless.send("GET /echo HTTP/1.1\r\n");
  for (int i = 0; i < 100; ++i) {
    if (!endless.send("X-Header-" + std::to_string(i) + ": value\r\n")) {
      break;
    }
  }
  EXPECT_EQ(endless.readReply().status, 431);
  expectServesOn();
}

TEST_F(HostileRequestTest, OversizedBodiesGet413BeforeTheyAreRead) {
  start();
  // Announced: refused before a byte of it is sent.
  const auto [announced, closed] = exchange("POST /echo HTTP/1.1\r\nContent-Length: 101\r\n\r\n");
  EXPECT_EQ(announced.status, 413);
  EXPECT_TRUE(closed);
  // Chunked: refused once it passes the limit.
  RawHttpClient chunked(port());
  chunked.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int i = 0; i < 20; ++i) {
    chunked.send("10\r\n" + std::string(16, 'x') + "\r\n");
  }
  EXPECT_EQ(chunked.readReply().status, 413);
  // Within the limit, both kinds of body are read.
  RawHttpClient client(port());
  client.send("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(client.readReply().body, "POST hello");
  client.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(client.readReply().body, "POST hello");
}

TEST_F(HostileRequestTest, KeepsConnectionsAliveAndAnswersPipelinedRequestsInOrder) {
  start();
  RawHttpClient client(port());
  client.send(
      "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\noneGET /echo HTTP/1.1\r\n\r\n"
      "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nthree");
  EXPECT_EQ(client.readReply().body, "POST one");
  EXPECT_EQ(client.readReply().body, "GET ");
  const HttpReply third = client.readReply();
  EXPECT_EQ(third.body, "POST three");
  EXPECT_EQ(third.headers.find("Connection: close"), std::string::npos);
  EXPECT_FALSE(client.closedByServer(100ms));
  // HTTP/1.0 and "Connection: close" end the connection after the answer.
  client.send("GET /echo HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_NE(client.readReply().headers.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(client.closedByServer());
  const auto [old, closed] = exchange("GET /echo HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old.status, 200);
  EXPECT_TRUE(closed);
}

TEST_F(HostileRequestTest, AnswersExpectContinueBeforeTheBody) {
  start();
  RawHttpClient client(port());
  client.send("POST /echo HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.readReply().status, 100);
  client.send("hello");
  EXPECT_EQ(client.readReply().body, "POST hello");
}

TEST_F(HostileRequestTest, ClosesAnIdleConnectionAfterTheIdleTimeout) {
  options_.idleTimeout = 200ms;
  start();
  RawHttpClient client(port());
  client.send("GET /echo HTTP/1.1\r\n\r\n");
  EXPECT_EQ(client.readReply().status, 200);
  const auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closedByServer(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - began, 150ms);
}

// A deadline for the whole request: a client that sends a byte now and then
// cannot keep a request open by staying just inside a per-read timeout.
TEST_F(HostileRequestTest, DropsATricklingRequestAtItsDeadline) {
  options_.requestTimeout = 400ms;
  start();
  RawHttpClient slow(port());
  const std::string request = "GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
  const auto began = std::chrono::steady_clock::now();
  bool closed = false;
  for (std::size_t i = 0; i < 100 && !closed; ++i) {
    closed = !slow.send(std::string_view(request).substr(i % request.size(), 1)) ||
             slow.closedByServer(50ms);
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - began, 3s);
  expectServesOn();
}

TEST_F(HostileRequestTest, PastMaxConnectionsTheLongestIdleMakesRoom) {
  options_.maxConnections = 2;
  start();
  RawHttpClient oldest(port());
  oldest.send("GET /echo HTTP/1.1\r\n\r\n");
  ASSERT_EQ(oldest.readReply().status, 200);
  RawHttpClient younger(port());
  younger.send("GET /echo HTTP/1.1\r\n\r\n");
  ASSERT_EQ(younger.readReply().status, 200);
  // A third connection closes the one idle the longest, and is served.
  RawHttpClient newest(port());
  newest.send("GET /echo HTTP/1.1\r\n\r\n");
  EXPECT_EQ(newest.readReply().status, 200);
  EXPECT_TRUE(oldest.closedByServer());
  younger.send("GET /echo HTTP/1.1\r\n\r\n");
  EXPECT_EQ(younger.readReply().status, 200);
}

TEST_F(HostileRequestTest, NeverClosesAConnectionInTheMiddleOfARequestToMakeRoom) {
  options_.maxConnections = 1;
  start();
  RawHttpClient busy(port());
  busy.send("POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nha");
  std::this_thread::sleep_for(50ms);  // let the server read what was sent
  RawHttpClient newcomer(port());
  newcomer.send("GET /echo HTTP/1.1\r\n\r\n");
  EXPECT_EQ(newcomer.readReply().status, 200);
  busy.send("lf");
  EXPECT_EQ(busy.readReply().body, "POST half");
}

TEST_F(HostileRequestTest, StoppingAnswersTheRequestInFlightThenCloses) {
  start();
  RawHttpClient idle(port());
  RawHttpClient inFlight(port());
  holdARequestInFlight(inFlight);
  const std::jthread stopper = stopInTheBackground();
  EXPECT_TRUE(idle.closedByServer());  // at once, while the request is in flight
  releaseTheRequest();
  const HttpReply reply = inFlight.readReply();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "finally");
  EXPECT_NE(reply.headers.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(inFlight.closedByServer());
}

TEST_F(HostileRequestTest, StoppingCutsRequestsStillInFlightAfterTheShutdownTimeout) {
  options_.shutdownTimeout = 200ms;
  start();
  RawHttpClient inFlight(port());
  holdARequestInFlight(inFlight);
  const std::jthread stopper = stopInTheBackground();
  EXPECT_TRUE(inFlight.closedByServer());
  releaseTheRequest();
}

}  // namespace
}  // namespace landlord::kube
