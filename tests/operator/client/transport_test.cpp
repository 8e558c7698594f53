#include "landlord/operator/client/transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "landlord/operator/base/errors.h"

namespace landlord::kube {
namespace {

namespace fs = std::filesystem;

// How the loopback server answers.
struct Answer {
  std::string body = "{}";
  bool closeAfterEach = false;  // close the connection after each response, unannounced
  bool silent = false;          // read requests, never answer
  std::string raw = "";         // when set, sent as the whole response, byte by byte
};

// A keep-alive HTTP/1.1 server on loopback port 0 that answers every request
// with `answer` and records what it received.
class LoopbackServer {
 public:
  explicit LoopbackServer(Answer answer = {}) : answer_(std::move(answer)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(listener_, 8);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    {
      std::lock_guard lock(mutex_);
      for (int fd : connections_)
        shutdown(fd, SHUT_RDWR);
    }
    thread_.join();
    for (auto& worker : workers_)
      worker.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  int accepted() const { return accepted_.load(); }

 private:
  void serve() {
    while (true) {
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0)
        return;
      ++accepted_;
      {
        std::lock_guard lock(mutex_);
        connections_.push_back(fd);
      }
      workers_.emplace_back([this, fd] { handle(fd); });
    }
  }
  void handle(int fd) {
    std::string buffer;
    char chunk[4096];
    while (true) {
      std::size_t end = buffer.find("\r\n\r\n");
      if (end == std::string::npos) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0)
          break;
        buffer.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      std::string head = buffer.substr(0, end);
      std::size_t length = 0;
      if (auto at = head.find("Content-Length: "); at != std::string::npos) {
        length = std::stoul(head.substr(at + 16));
      }
      while (buffer.size() < end + 4 + length) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0)
          break;
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(head);
      }
      buffer.erase(0, end + 4 + length);
      if (answer_.silent)
        continue;
      if (!answer_.raw.empty()) {
        for (char byte : answer_.raw) {
          if (send(fd, &byte, 1, MSG_NOSIGNAL) != 1)
            break;
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        continue;
      }
      const std::string response =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
          std::to_string(answer_.body.size()) + "\r\n\r\n" + answer_.body;
      if (!writeAll(fd, response) || answer_.closeAfterEach)
        break;
    }
    close(fd);
  }
  static bool writeAll(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  const Answer answer_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
  std::vector<std::thread> workers_;  // serve thread only, joined after it
  std::mutex mutex_;
  std::vector<std::string> requests_;  // guarded by mutex_
  std::vector<int> connections_;       // guarded by mutex_
};

TEST(KubeTransport, SendsUserAgentAndReusesTheConnection) {
  LoopbackServer server;
  RestConfig config;
  config.server = server.url();
  config.userAgent = defaultUserAgent();
  auto transport = makeHttpsTransport(config);
  constexpr int kRequests = 6;
  for (int i = 0; i < kRequests; ++i) {
    HttpResponse response =
        transport->send(HttpRequest{"GET", "/api/v1/nodes", "", "", "application/json"});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "{}");
  }
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), static_cast<std::size_t>(kRequests));
  EXPECT_NE(requests[0].find("GET /api/v1/nodes HTTP/1.1"), std::string::npos);
  EXPECT_NE(requests[0].find("User-Agent: landlord/0.1.0"), std::string::npos) << requests[0];
  EXPECT_EQ(server.accepted(), 1) << "one caller at a time needs one connection";
}

TEST(KubeTransport, AServerUrlWithAPathSendsEveryRequestUnderIt) {
  // As a Rancher-style proxy's kubeconfig names its clusters.
  LoopbackServer server;
  RestConfig config;
  config.server = server.url() + "/k8s/clusters/c-1/";
  auto transport = makeHttpsTransport(config);
  transport->send(HttpRequest{"GET", "/api/v1/nodes?limit=500", "", "", "application/json"});
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rfind("GET /k8s/clusters/c-1/api/v1/nodes?limit=500 HTTP/1.1", 0), 0u)
      << requests[0];
}

TEST(KubeTransport, AConnectionTheServerClosedWhileIdleCarriesNoRequest) {
  LoopbackServer server(Answer{.closeAfterEach = true});
  RestConfig config;
  config.server = server.url();
  auto transport = makeHttpsTransport(config);
  for (const char* method : {"GET", "PATCH", "GET", "POST"}) {
    // Give the close time to arrive, as it does between a controller's requests.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    HttpResponse response =
        transport->send(HttpRequest{method, "/api/v1/nodes/n1", "", "{}", "application/json"});
    EXPECT_EQ(response.status, 200) << method;
  }
  EXPECT_EQ(server.requests().size(), 4u) << "each request sent once";
  EXPECT_EQ(server.accepted(), 4);
}

TEST(KubeTransport, ReadsAResponseOfManyMegabytesWhole) {
  // A list of 500 nodes is megabytes; Beast's default response limit is 8 MB.
  const std::string big = "\"" + std::string(20 * 1024 * 1024, 'x') + "\"";
  LoopbackServer server(Answer{.body = big});
  RestConfig config;
  config.server = server.url();
  auto transport = makeHttpsTransport(config);
  HttpResponse response =
      transport->send(HttpRequest{"GET", "/api/v1/nodes", "", "", "application/json"});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.size(), big.size());
}

TEST(KubeTransport, AResponseArrivingOneByteAtATimeIsReadWhole) {
  LoopbackServer server(Answer{.raw = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: "
                                      "3\r\nContent-Length: 7\r\n\r\n{\"a\":1}"});
  RestConfig config;
  config.server = server.url();
  auto transport = makeHttpsTransport(config);
  HttpResponse response = transport->send(HttpRequest{"GET", "/api", "", "", "application/json"});
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.retryAfterSeconds, 3);
  EXPECT_EQ(response.body, "{\"a\":1}");
}

TEST(KubeTransport, AMalformedResponseIsATransportErrorAndItsConnectionIsNotReused) {
  LoopbackServer server(Answer{.raw = "HTTP/1.1 two hundred OK\r\n\r\n"});
  RestConfig config;
  config.server = server.url();
  auto transport = makeHttpsTransport(config);
  for (int i = 0; i < 2; ++i) {
    try {
      transport->send(HttpRequest{"PATCH", "/api/v1/nodes/n1", "", "{}", "application/json"});
      FAIL() << "expected TransportError";
    } catch (const TransportError& error) {
      EXPECT_NE(std::string(error.what()).find("read"), std::string::npos) << error.what();
    }
  }
  EXPECT_EQ(server.requests().size(), 2u) << "each request sent once";
  EXPECT_EQ(server.accepted(), 2) << "a connection that read garbage is dropped";
}

TEST(KubeTransport, AServerThatNeverAnswersFailsTheRequestAfterTheTimeout) {
  LoopbackServer server(Answer{.silent = true});
  RestConfig config;
  config.server = server.url();
  config.timeout = std::chrono::milliseconds(300);
  auto transport = makeHttpsTransport(config);
  const auto start = std::chrono::steady_clock::now();
  try {
    transport->send(HttpRequest{"PATCH", "/api/v1/nodes/n1", "", "{}", "application/json"});
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_NE(std::string(error.what()).find("no answer within the request timeout"),
              std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("PATCH " + config.server + "/api/v1/nodes/n1"),
              std::string::npos)
        << error.what();
  }
  // Not a timing test: a request must not hang for good, nor be sent twice.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(server.requests().size(), 1u);
}

// A transport to the loopback server with the default configuration.
std::unique_ptr<Transport> transportTo(const LoopbackServer& server) {
  RestConfig config;
  config.server = server.url();
  return makeHttpsTransport(config);
}

std::string chunk(const std::string& data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx", data.size());
  return std::string(size) + "\r\n" + data + "\r\n";
}

// A watch's response header, chunked as the API server sends it.
const std::string kWatchHeader =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

TEST(KubeTransport, AStreamGivesItsBodyLineByLineWhateverTheChunks) {
  // Lines split across chunks, two in one chunk, an empty line between events.
  LoopbackServer server(Answer{.raw = kWatchHeader + chunk("{\"a\":1}\n{\"b\"") +
                                      chunk(":2}\n\n{\"c\":3}\n") + chunk("{\"d\":4}") +
                                      "0\r\n\r\n"});
  auto transport = transportTo(server);
  auto stream =
      transport->stream(HttpRequest{"GET", "/api/v1/nodes?watch=true", "", "", "application/json"},
                        std::chrono::seconds(30));
  EXPECT_EQ(stream->status(), 200);
  EXPECT_EQ(stream->readLine(), "{\"a\":1}");
  EXPECT_EQ(stream->readLine(), "{\"b\":2}");
  EXPECT_EQ(stream->readLine(), "{\"c\":3}");
  // What follows the last newline is no whole event: the stream ends without it.
  EXPECT_EQ(stream->readLine(), std::nullopt);
  EXPECT_EQ(stream->readLine(), std::nullopt);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_NE(server.requests()[0].find("GET /api/v1/nodes?watch=true HTTP/1.1"), std::string::npos);
}

TEST(KubeTransport, AStreamedErrorIsReadWhole) {
  LoopbackServer server(Answer{.raw = "HTTP/1.1 410 Gone\r\nContent-Length: 18\r\n\r\n"
                                      "{\"reason\":\"Gone\"}\n"});
  auto transport = transportTo(server);
  auto stream = transport->stream(HttpRequest{"GET", "/api/v1/pods?watch=true", "", "", ""},
                                  std::chrono::seconds(30));
  EXPECT_EQ(stream->status(), 410);
  EXPECT_EQ(stream->readAll(), "{\"reason\":\"Gone\"}\n");
}

TEST(KubeTransport, CancellingAStreamFromAnotherThreadEndsABlockedRead) {
  // The header, one event, then silence on an open connection.
  LoopbackServer server(Answer{.raw = kWatchHeader + chunk("{\"a\":1}\n")});
  auto transport = transportTo(server);
  auto stream = transport->stream(HttpRequest{"GET", "/api/v1/nodes?watch=true", "", "", ""},
                                  std::chrono::minutes(10));
  EXPECT_EQ(stream->readLine(), "{\"a\":1}");
  std::atomic<bool> cancelled = false;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancelled = true;
    stream->cancel();
  });
  EXPECT_EQ(stream->readLine(), std::nullopt);  // would block for the 10 minutes otherwise
  EXPECT_TRUE(cancelled.load()) << "the read ended before anyone cancelled it";
  canceller.join();
  EXPECT_EQ(stream->readLine(), std::nullopt);
}

TEST(KubeTransport, AStreamSilentForItsTimeoutEnds) {
  LoopbackServer server(Answer{.raw = kWatchHeader});
  auto transport = transportTo(server);
  auto stream = transport->stream(HttpRequest{"GET", "/api/v1/nodes?watch=true", "", "", ""},
                                  std::chrono::milliseconds(300));
  EXPECT_EQ(stream->status(), 200);
  EXPECT_EQ(stream->readLine(), std::nullopt);
}

TEST(KubeTransport, AStreamToNowhereNamesTheServer) {
  RestConfig config;
  config.server = "http://127.0.0.1:1";
  auto transport = makeHttpsTransport(config);
  try {
    transport->stream(HttpRequest{"GET", "/api/v1/nodes?watch=true", "", "", ""},
                      std::chrono::seconds(5));
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_NE(std::string(error.what()).find("http://127.0.0.1:1"), std::string::npos)
        << error.what();
  }
}

TEST(KubeTransport, ReReadsTheTokenFileWhenItRotates) {
  LoopbackServer server;
  fs::path dir = fs::temp_directory_path() / ("landlord-token-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path token = dir / "token";
  auto writeToken = [&](const std::string& value) {
    std::ofstream(dir / "token.new") << value << "\n";
    fs::rename(dir / "token.new", token);  // a new inode, as the kubelet's swap
  };
  writeToken("first");
  RestConfig config;
  config.server = server.url();
  config.tokenFile = token.string();
  auto transport = makeHttpsTransport(config);
  transport->send(HttpRequest{"GET", "/api", "", "", "application/json"});
  writeToken("second");
  transport->send(HttpRequest{"GET", "/api", "", "", "application/json"});
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].find("Authorization: Bearer first"), std::string::npos);
  EXPECT_NE(requests[1].find("Authorization: Bearer second"), std::string::npos);
  fs::remove_all(dir);
}

TEST(KubeTransport, ConnectionRefusedNamesTheServer) {
  int port = 0;
  {
    LoopbackServer closed;  // learn a free port, then close it
    port = std::stoi(closed.url().substr(closed.url().rfind(':') + 1));
  }
  RestConfig config;
  config.server = "http://127.0.0.1:" + std::to_string(port);
  auto transport = makeHttpsTransport(config);
  try {
    transport->send(HttpRequest{"GET", "/version", "", "", "application/json"});
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_NE(std::string(error.what()).find("GET " + config.server + "/version"),
              std::string::npos)
        << error.what();
  }
}

TEST(KubeTransport, RejectsMalformedTlsMaterialUpFront) {
  RestConfig config;
  config.server = "https://127.0.0.1:1";
  config.caPem = "not a certificate";
  config.caFile = "/etc/ca.crt";
  try {
    makeHttpsTransport(config);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("/etc/ca.crt"), std::string::npos);
  }
}

}  // namespace
}  // namespace landlord::kube
