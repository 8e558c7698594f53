// landlord-webhook-load: calls an admission webhook directly, as the API
// server does (HTTPS/1.1, kept-alive connections), at a fixed rate, with
// optionally many more TLS connections held open and idle meanwhile; prints
// the latency percentiles.
//
// Open loop: request i is due at start + i/rate whatever happened before, and
// its latency counts from when it was due, so a server that stalls is charged
// for the requests that queue behind the stall (no coordinated omission).

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_connection.h"
#include "landlord/operator/base/openssl.h"
#include "landlord/operator/client/tls_material.h"

namespace {

namespace kube = landlord::kube;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr const char* kUsage =
    R"(Usage: landlord-webhook-load --port N --ca FILE --review FILE [flags]

Flags:
  --port N          the webhook server's port on 127.0.0.1
  --ca FILE         the CA that signed its serving certificate (PEM)
  --review FILE     an AdmissionReview request (JSON); each call gets its own uid
  --path PATH       the webhook's path (default /validate-v1-pod)
  --rate R          requests per second (default 1000)
  --seconds S       how long to measure (default 20), after a 2 s warm-up
  --connections C   kept-alive connections the requests spread over (default 8)
  --idle N          TLS connections to open first and hold idle throughout
  --label TEXT      names the run in the output line
)";

struct Options {
  int port = 0;
  std::string caFile;
  std::string reviewFile;
  std::string path = "/validate-v1-pod";
  double rate = 1000;
  double seconds = 20;
  int connections = 8;
  int idle = 0;
  std::string label;
};

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Options parseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (i + 1 >= argc) {
      throw std::runtime_error(arg + " needs a value");
    }
    const std::string value = argv[++i];
    if (arg == "--port") {
      options.port = std::stoi(value);
    } else if (arg == "--ca") {
      options.caFile = value;
    } else if (arg == "--review") {
      options.reviewFile = value;
    } else if (arg == "--path") {
      options.path = value;
    } else if (arg == "--rate") {
      options.rate = std::stod(value);
    } else if (arg == "--seconds") {
      options.seconds = std::stod(value);
    } else if (arg == "--connections") {
      options.connections = std::stoi(value);
    } else if (arg == "--idle") {
      options.idle = std::stoi(value);
    } else if (arg == "--label") {
      options.label = value;
    } else {
      throw std::runtime_error("unknown flag " + arg);
    }
  }
  if (options.port <= 0 || options.caFile.empty() || options.reviewFile.empty() ||
      options.rate <= 0 || options.seconds <= 0 || options.connections < 1 || options.idle < 0) {
    throw std::runtime_error("--port, --ca and --review are required; rates and counts positive");
  }
  return options;
}

// The review body with "@UID@" where each call's uid goes.
struct ReviewTemplate {
  std::string before;
  std::string after;
  std::string with(std::uint64_t n) const { return before + "bench-" + std::to_string(n) + after; }
};

ReviewTemplate reviewTemplate(const std::string& path) {
  json review = json::parse(readFile(path));
  review["request"]["uid"] = "@UID@";
  const std::string text = review.dump();
  const std::size_t at = text.find("@UID@");
  return {text.substr(0, at), text.substr(at + 5)};
}

// TLS connections held open and idle: connected and handshaken all at once
// (non-blocking), so a server that stops accepting shows as a count that
// stays short of N after the deadline rather than as a hang.
class IdleConnections {
 public:
  IdleConnections(int count, int port, const std::string& caPem, Clock::duration deadline)
      : context_(SSL_CTX_new(TLS_client_method())) {
    kube::X509StorePtr trust(X509_STORE_new());
    for (const kube::X509Ptr& ca : kube::parseCertificates(caPem)) {
      X509_STORE_add_cert(trust.get(), ca.get());
    }
    SSL_CTX_set1_cert_store(context_.get(), trust.get());
    SSL_CTX_set_verify(context_.get(), SSL_VERIFY_PEER, nullptr);
    for (int i = 0; i < count; ++i) {
      Pending pending;
      pending.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<uint16_t>(port));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (pending.fd < 0 ||
          (::connect(pending.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
           errno != EINPROGRESS)) {
        throw std::runtime_error("cannot open idle connection " + std::to_string(i) + ": " +
                                 std::strerror(errno));
      }
      pending.ssl = SSL_new(context_.get());
      SSL_set_fd(pending.ssl, pending.fd);
      SSL_set_connect_state(pending.ssl);
      connections_.push_back(pending);
    }
    handshake(Clock::now() + deadline);
  }
  ~IdleConnections() {
    for (Pending& c : connections_) {
      SSL_free(c.ssl);
      ::close(c.fd);
    }
  }
  int established() const {
    return static_cast<int>(std::count_if(connections_.begin(), connections_.end(),
                                          [](const Pending& c) { return c.done; }));
  }

 private:
  struct Pending {
    int fd = -1;
    SSL* ssl = nullptr;
    bool done = false;
    bool failed = false;
    short wants = POLLOUT;  // the connect first
  };

  void handshake(Clock::time_point deadline) {
    while (Clock::now() < deadline) {
      std::vector<pollfd> fds;
      std::vector<Pending*> waiting;
      for (Pending& c : connections_) {
        if (!c.done && !c.failed) {
          fds.push_back({c.fd, c.wants, 0});
          waiting.push_back(&c);
        }
      }
      if (fds.empty()) {
        return;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(1, left))) <= 0) {
        continue;
      }
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents == 0) {
          continue;
        }
        Pending& c = *waiting[i];
        const int result = SSL_do_handshake(c.ssl);
        if (result == 1) {
          c.done = true;
          continue;
        }
        const int error = SSL_get_error(c.ssl, result);
        if (error == SSL_ERROR_WANT_READ) {
          c.wants = POLLIN;
        } else if (error == SSL_ERROR_WANT_WRITE) {
          c.wants = POLLOUT;
        } else {
          c.failed = true;
        }
        ERR_clear_error();
      }
    }
  }

  kube::SslCtxPtr context_;
  std::vector<Pending> connections_;
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)];
}

int run(const Options& options) {
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &files);

  kube::RestConfig config;
  config.server = "https://127.0.0.1:" + std::to_string(options.port);
  config.caPem = readFile(options.caFile);
  config.caFile = options.caFile;
  config.timeout = std::chrono::seconds(10);  // the API server's webhook timeout
  config.userAgent = "landlord-webhook-load";
  const auto tls = kube::validatedTlsMaterial(config);
  const ReviewTemplate review = reviewTemplate(options.reviewFile);

  std::unique_ptr<IdleConnections> idle;
  if (options.idle > 0) {
    idle = std::make_unique<IdleConnections>(options.idle, options.port, config.caPem,
                                             std::chrono::seconds(15));
  }

  const auto warmup = std::chrono::seconds(2);
  const auto measured = std::chrono::duration<double>(options.seconds);
  const auto total = static_cast<std::uint64_t>(
      options.rate * std::chrono::duration<double>(warmup + measured).count());
  const auto warmupRequests = static_cast<std::uint64_t>(options.rate * 2);
  const auto interval = std::chrono::duration<double>(1.0 / options.rate);
  const Clock::time_point start = Clock::now() + std::chrono::milliseconds(200);

  // Shared by the workers; a server that stops answering leaves workers
  // blocked, so the report is made from here after a deadline, not a join.
  struct Results {
    std::mutex mutex;
    std::condition_variable finished;
    std::vector<double> latencies;  // ms, measured requests answered 200
    std::uint64_t errors = 0;       // measured requests failed
    std::uint64_t denied = 0;       // answered, not allowed
    std::string firstError;
    int workersDone = 0;
  };
  const auto results = std::make_shared<Results>();
  for (int w = 0; w < options.connections; ++w) {
    std::thread([=, &config, &tls, &review, &options] {
      landlord::hollow::HttpConnection connection(config, tls);
      for (std::uint64_t i = static_cast<std::uint64_t>(w); i < total;
           i += static_cast<std::uint64_t>(options.connections)) {
        const auto due =
            start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(i));
        std::this_thread::sleep_until(due);
        kube::HttpRequest request{"POST", options.path, "application/json", review.with(i)};
        std::string failure;
        bool allowed = false;
        try {
          const kube::HttpResponse response = connection.send(request);
          if (response.status != 200) {
            failure =
                "HTTP " + std::to_string(response.status) + ": " + response.body.substr(0, 200);
          }
          allowed = response.body.find("\"allowed\":true") != std::string::npos;
        } catch (const std::exception& e) {
          failure = e.what();
        }
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - due).count();
        std::lock_guard lock(results->mutex);
        if (!failure.empty() && results->firstError.empty()) {
          results->firstError = failure;
        }
        if (i < warmupRequests) {
          continue;
        }
        if (!failure.empty()) {
          ++results->errors;
          continue;
        }
        results->latencies.push_back(ms);
        results->denied += allowed ? 0 : 1;
      }
      std::lock_guard lock(results->mutex);
      ++results->workersDone;
      results->finished.notify_all();
    }).detach();
  }
  const auto deadline = start + warmup + std::chrono::duration_cast<Clock::duration>(measured) +
                        std::chrono::seconds(30);
  std::unique_lock lock(results->mutex);
  results->finished.wait_until(lock, deadline,
                               [&] { return results->workersDone == options.connections; });
  const std::uint64_t measuredTotal = total - warmupRequests;
  const std::uint64_t stalled = measuredTotal - results->errors - results->latencies.size();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count() -
                         std::chrono::duration<double>(warmup).count();
  std::vector<double> all = results->latencies;
  std::sort(all.begin(), all.end());
  std::printf(
      "%s: rate %.0f/s over %d connections, idle %d (%d handshaken): %zu of %llu answered, %llu "
      "failed, %llu never answered, %llu denied, %.1f/s; latency p50 %.2f ms, p90 %.2f ms, p99 "
      "%.2f ms, max %.2f ms\n",
      options.label.empty() ? "webhook" : options.label.c_str(), options.rate, options.connections,
      options.idle, idle ? idle->established() : 0, all.size(),
      static_cast<unsigned long long>(measuredTotal),
      static_cast<unsigned long long>(results->errors), static_cast<unsigned long long>(stalled),
      static_cast<unsigned long long>(results->denied), static_cast<double>(all.size()) / elapsed,
      percentile(all, 0.5), percentile(all, 0.9), percentile(all, 0.99),
      all.empty() ? 0.0 : all.back());
  if (!results->firstError.empty()) {
    std::printf("  first error: %s\n", results->firstError.c_str());
  }
  std::fflush(stdout);
  // Workers still blocked on a silent server are abandoned with the process.
  std::_Exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parseOptions(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "landlord-webhook-load: " << e.what() << "\n";
    return 2;
  }
}
