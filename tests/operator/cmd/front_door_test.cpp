// The front door of the real landlord-operator binary under hostile clients
// (DESIGN.md rule 7): with slow, idle, oversized and malformed clients at its
// health and webhook ports, /healthz and a fresh AdmissionReview are still
// answered at once.
//
// The operator runs against a kubeconfig whose API server refuses every
// connection, so no cluster is needed: its servers start anyway and its
// webhooks answer (a 503 denial: caches not synced) from its own handlers.
//
// The latency bounds are not performance figures (make bench has those): they
// say "not blocked". Each is asserted on the median of several attempts, so a
// loaded machine does not fail them, while a server that waits behind its
// clients (seconds) still does.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "../server/raw_http.h"
#include "../webhook/test_tls.h"

extern char** environ;

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::HttpReply;
using testing::RawHttpClient;
using testing::TlsTestClient;
using Clock = std::chrono::steady_clock;

constexpr auto kNotBlocked = 100ms;
constexpr int kAttempts = 15;

// The binary built with these tests; $LANDLORD_OPERATOR_BINARY points them at
// another build (an older one, to see it fail them).
std::string operatorBinary() {
  const char* other = std::getenv("LANDLORD_OPERATOR_BINARY");
  return other != nullptr && *other != '\0' ? other : LANDLORD_OPERATOR_BINARY;
}

// Raises this process's soft limit on open files to what a test needs; fails
// the test, saying how to fix it, when the hard limit is lower.
void needOpenFiles(rlim_t count) {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  ASSERT_GE(limit.rlim_max, count)
      << "this test opens " << count << " connections, but the hard limit on open files is "
      << limit.rlim_max << "; raise it (ulimit -Hn, or LimitNOFILE= for a service)";
  if (limit.rlim_cur < count) {
    limit.rlim_cur = count;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
}

// landlord-operator as a child process, its log collected, its ports read
// from its log's "port" fields.
class OperatorProcess {
 public:
  OperatorProcess() : pki_(testing::makeTestPki("front-door-ca")) {
    const auto dir = dir_.path();
    testing::replaceFile(dir / "tls.crt", pki_.serverCertificate);
    testing::replaceFile(dir / "tls.key", pki_.serverKey);
    // Port 1 refuses at once: the operator runs, its caches never sync.
    testing::replaceFile(dir / "kubeconfig", R"(apiVersion: v1
kind: Config
clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: nobody, user: {token: unused}}]
contexts: [{name: nowhere, context: {cluster: nowhere, user: nobody}}]
current-context: nowhere
)");
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe2 failed");
    }
    const std::vector<std::string> args = {
        operatorBinary(),
        "--kubeconfig=" + (dir / "kubeconfig").string(),
        "--metrics-bind-address=127.0.0.1:0",
        "--health-probe-bind-address=127.0.0.1:0",
        "--webhook-bind-address=127.0.0.1:0",
        "--webhook-cert-path=" + dir.string(),
        "--log-format=json",
    };
    std::vector<char*> argv;
    for (const std::string& arg : args) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    // Leaks are the unit tests' business; at exit cpprestsdk's thread pool
    // holds OpenSSL state LeakSanitizer cannot attribute cheaply.
    std::vector<std::string> env = {"ASAN_OPTIONS=detect_leaks=0"};
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string_view(*e).rfind("ASAN_OPTIONS=", 0) != 0) {
        env.emplace_back(*e);
      }
    }
    std::vector<char*> envp;
    for (std::string& entry : env) {
      envp.push_back(entry.data());
    }
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDERR_FILENO);
    const int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    if (spawned != 0) {
      ::close(pipeFds[0]);
      throw std::runtime_error(std::string("cannot start ") + argv[0]);
    }
    // Drained for the operator's whole life: a full pipe would stall its logging.
    reader_ = std::jthread([this, fd = pipeFds[0]] { readLog(fd); });
    std::unique_lock lock(mutex_);
    const bool started = changed_.wait_for(
        lock, 60s, [this] { return exited_ || (healthPort_ > 0 && webhookPort_ > 0); });
    if (!started || exited_) {
      const std::string log = log_;
      lock.unlock();
      stop();
      throw std::runtime_error("landlord-operator did not start its servers:\n" + log);
    }
  }

  ~OperatorProcess() { stop(); }

  int healthPort() const { return healthPort_; }
  int webhookPort() const { return webhookPort_; }
  const std::string& caPem() const { return pki_.caCertificate; }
  bool running() {
    std::lock_guard lock(mutex_);
    return !exited_;
  }

 private:
  // SIGTERM, as the kubelet sends; SIGKILL if it has not exited in 30 s.
  void stop() {
    if (pid_ <= 0) {
      return;
    }
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 300 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(100ms);
    }
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }

  void readLog(int fd) {
    std::string pending;
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) {
      pending.append(buffer, static_cast<std::size_t>(n));
      std::size_t end = 0;
      while ((end = pending.find('\n')) != std::string::npos) {
        record(pending.substr(0, end));
        pending.erase(0, end + 1);
      }
    }
    ::close(fd);
    std::lock_guard lock(mutex_);
    exited_ = true;
    changed_.notify_all();
  }

  void record(const std::string& line) {
    std::lock_guard lock(mutex_);
    if (log_.size() < 64 * 1024) {
      log_ += line + "\n";
    }
    const json entry = json::parse(line, nullptr, false);
    if (!entry.is_object() || !entry.contains("server") || !entry.contains("msg")) {
      return;
    }
    // The "port" field; older builds only said "... on port N".
    const std::string message = entry["msg"].get<std::string>();
    const std::size_t on = message.find("on port ");
    if (!entry.contains("port") && on == std::string::npos) {
      return;
    }
    const int port = entry.contains("port") ? std::stoi(entry["port"].get<std::string>())
                                            : std::atoi(message.c_str() + on + 8);
    if (entry["server"] == "health probe") {
      healthPort_ = port;
    } else if (entry["server"] == "webhook") {
      webhookPort_ = port;
    }
    changed_.notify_all();
  }

  testing::TempDir dir_;
  testing::TestPki pki_;
  pid_t pid_ = -1;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string log_;      // guarded by mutex_
  int healthPort_ = 0;   // guarded by mutex_ until the constructor returns
  int webhookPort_ = 0;  // guarded by mutex_ until the constructor returns
  bool exited_ = false;  // guarded by mutex_
  std::jthread reader_;  // last: joined (the pipe closes at exit) before the rest goes
};

std::string podReview(const std::string& uid) {
  return json{{"apiVersion", "admission.k8s.io/v1"},
              {"kind", "AdmissionReview"},
              {"request",
               {{"uid", uid},
                {"kind", {{"group", ""}, {"version", "v1"}, {"kind", "Pod"}}},
                {"resource", {{"group", ""}, {"version", "v1"}, {"resource", "pods"}}},
                {"namespace", "team-a"},
                {"name", "web-1"},
                {"operation", "CREATE"},
                {"userInfo", {{"username", "alice"}}},
                {"object",
                 {{"apiVersion", "v1"},
                  {"kind", "Pod"},
                  {"metadata", {{"name", "web-1"}, {"namespace", "team-a"}}},
                  {"spec", {{"containers", {{{"name", "c"}, {"image", "nginx"}}}}}}}}}}}
      .dump();
}

// Times `attempt` kAttempts times; fails unless the median is within bound.
void expectNotBlocked(const std::string& what, const std::function<void()>& attempt) {
  std::vector<double> millis;
  for (int i = 0; i < kAttempts; ++i) {
    const auto began = Clock::now();
    attempt();
    millis.push_back(std::chrono::duration<double, std::milli>(Clock::now() - began).count());
  }
  std::string all;
  for (const double ms : millis) {
    all += (all.empty() ? "" : ", ") + std::to_string(static_cast<int>(ms)) + " ms";
  }
  std::sort(millis.begin(), millis.end());
  const double median = millis[millis.size() / 2];
  const double bound = std::chrono::duration<double, std::milli>(kNotBlocked).count();
  EXPECT_LT(median, bound) << what << " waited behind other clients: median " << median
                           << " ms over " << kAttempts << " attempts (" << all << ")";
  std::cout << what << ": median " << median << " ms (" << all << ")\n";
}

// A fresh connection, a handshake and one AdmissionReview, answered by the
// operator's pod-validation webhook.
void expectAdmissionAnswered(const OperatorProcess& process, const std::string& uid) {
  TlsTestClient client(process.webhookPort(), process.caPem());
  const HttpReply reply = client.post("/validate-v1-pod", podReview(uid));
  ASSERT_EQ(reply.status, 200) << reply.headers << "\n" << reply.body;
  const json review = json::parse(reply.body);
  EXPECT_EQ(review["response"]["uid"], uid);
  EXPECT_EQ(review["response"]["status"]["code"], 503) << reply.body;  // caches not synced
}

void expectHealthy(const OperatorProcess& process) {
  const HttpReply reply = testing::httpRequest(process.healthPort(), "/healthz");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "ok");
}

TEST(FrontDoorTest, HealthzAnswersAtOnceWhileSlowlorisClientsTrickle) {
  needOpenFiles(1024);
  OperatorProcess process;
  // Each sends a byte of its request every half second and never finishes.
  std::vector<std::unique_ptr<RawHttpClient>> slow;
  for (int i = 0; i < 200; ++i) {
    slow.push_back(std::make_unique<RawHttpClient>(process.healthPort()));
    slow.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  }
  std::atomic<bool> done{false};
  std::jthread trickle([&] {
    const std::string header = "X-Slow: yes\r\n";
    for (std::size_t i = 0; !done; ++i) {
      for (auto& client : slow) {
        client->send(std::string_view(header).substr(i % header.size(), 1));
      }
      std::this_thread::sleep_for(500ms);
    }
  });
  std::this_thread::sleep_for(1s);
  expectNotBlocked("GET /healthz beside 200 slowloris clients", [&] { expectHealthy(process); });
  done = true;
  trickle.join();
  // They were still holding their connections all along.
  for (auto& client : slow) {
    EXPECT_FALSE(client->closedByServer(0ms));
  }
}

TEST(FrontDoorTest, AdmissionAnsweredAtOnceWithAThousandIdleTlsConnectionsOpen) {
  needOpenFiles(2048);
  OperatorProcess process;
  std::vector<std::unique_ptr<TlsTestClient>> idle;
  for (int i = 0; i < 1000; ++i) {
    idle.push_back(std::make_unique<TlsTestClient>(process.webhookPort(), process.caPem()));
    if (i % 10 == 0) {  // some kept alive after a request, the rest idle since their handshake
      ASSERT_EQ(idle.back()->post("/validate-v1-pod", podReview("idle")).status, 200);
    }
  }
  int attempt = 0;
  expectNotBlocked("a new AdmissionReview beside 1,000 idle TLS connections",
                   [&] { expectAdmissionAnswered(process, "fresh-" + std::to_string(attempt++)); });
  // None of them was dropped to make room: old and young still work.
  for (const std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{500}, std::size_t{999}}) {
    EXPECT_EQ(idle[i]->post("/validate-v1-pod", podReview("again")).status, 200) << i;
  }
}

TEST(FrontDoorTest, AdmissionAnsweredAtOnceBesideHandshakesThatNeverFinish) {
  needOpenFiles(1024);
  OperatorProcess process;
  // More than a thread-per-connection server would hold (the old one had 256).
  std::vector<std::unique_ptr<RawHttpClient>> stalled;
  for (int i = 0; i < 500; ++i) {
    stalled.push_back(std::make_unique<RawHttpClient>(process.webhookPort()));
    if (i % 2 == 0) {  // the start of a ClientHello record; the rest never comes
      stalled.back()->send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
    }
  }
  // Once the server has caught up with the crowd's arrival (accepted it all):
  // what is timed is being beside it, not queueing behind its arrival.
  expectAdmissionAnswered(process, "first");
  int attempt = 0;
  expectNotBlocked("a new AdmissionReview beside 500 unfinished TLS handshakes",
                   [&] { expectAdmissionAnswered(process, "fresh-" + std::to_string(attempt++)); });
}

// Every hostile request below is refused with its status, and the server
// answers a good request right after.
struct Refused {
  std::string request;
  int status;
};

const std::vector<Refused>& hostileRequests() {
  static const std::vector<Refused> requests = {
      {"GARBAGE\r\n\r\n", 400},
      {"GET /healthz HTTP/1.1 extra\r\n\r\n", 400},
      {"POST /validate-v1-pod HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello", 400},
      {"POST /validate-v1-pod HTTP/1.1\r\nContent-Length: 5x\r\n\r\nhello", 400},
      {"POST /validate-v1-pod HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400},
      {"POST /validate-v1-pod HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
      {"GET /healthz HTTP/1.1\r\nX-Big: " + std::string(20 * 1024, 'a') + "\r\n\r\n", 431},
  };
  return requests;
}

TEST(FrontDoorTest, HealthPortRefusesHostileRequestsAndServesOn) {
  OperatorProcess process;
  std::vector<Refused> requests = hostileRequests();
  // Probes are GETs: any body is too large.
  requests.push_back({"GET /healthz HTTP/1.1\r\nContent-Length: 10\r\n\r\n", 413});
  for (const Refused& hostile : requests) {
    RawHttpClient client(process.healthPort());
    client.send(hostile.request);
    const HttpReply reply = client.readReply();
    EXPECT_EQ(reply.status, hostile.status) << hostile.request.substr(0, 80);
    EXPECT_TRUE(client.closedByServer()) << hostile.request.substr(0, 80);
    expectHealthy(process);
  }
}

TEST(FrontDoorTest, WebhookPortRefusesHostileRequestsAndServesOn) {
  OperatorProcess process;
  std::vector<Refused> requests = hostileRequests();
  requests.push_back(
      {"POST /validate-v1-pod HTTP/1.1\r\nContent-Type: application/json\r\n"
       "Content-Length: 10485761\r\n\r\n",
       413});
  int attempt = 0;
  for (const Refused& hostile : requests) {
    TlsTestClient client(process.webhookPort(), process.caPem());
    client.send(hostile.request);
    const HttpReply reply = client.readReply();
    EXPECT_EQ(reply.status, hostile.status) << hostile.request.substr(0, 80);
    EXPECT_TRUE(client.closedByServer()) << hostile.request.substr(0, 80);
    expectAdmissionAnswered(process, "after-" + std::to_string(attempt++));
  }
  EXPECT_TRUE(process.running());
}

}  // namespace
}  // namespace landlord::kube
