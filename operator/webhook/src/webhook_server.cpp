#include "landlord/operator/webhook/webhook_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include "landlord/operator/server/http_header_text.h"
#include "landlord/operator/server/http_server.h"
#include "landlord/operator/server/http_status.h"
#include "landlord/operator/server/listen_socket.h"
#include "tls_certificate_store.h"

namespace landlord::kube {

namespace {

using Clock = std::chrono::steady_clock;

// The apiserver caps AdmissionReview bodies well below this; controller-runtime
// refuses more than 7 MiB. Anything larger is not a review worth reading.
constexpr std::size_t kMaxBodyBytes = 10 * 1024 * 1024;
constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
constexpr std::size_t kReadChunkBytes = 16 * 1024;
// While every connection slot is busy, how often to look for a freed one.
constexpr int kCapacityPollMilliseconds = 20;

struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslPtr = std::unique_ptr<SSL, SslDeleter>;

std::string peerAddress(int fd) {
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) {
    return "unknown";
  }
  char host[NI_MAXHOST];
  char port[NI_MAXSERV];
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&peer), length, host, sizeof(host), port,
                    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return "unknown";
  }
  return std::string(host) + ":" + port;
}

// One TLS connection on a non-blocking socket. A handshake and the wait for the
// next request also watch the server's stop pipe, so that stopping never waits
// for a slow or idle peer; a request that has begun to arrive is finished (its
// reads and writes bounded by their deadlines), since ending it would fail the
// apiserver's call (it does not retry admission requests).
class TlsConnection {
 public:
  TlsConnection(UniqueFd fd, SslPtr ssl, int stopFd)
      : fd_(std::move(fd)), ssl_(std::move(ssl)), stopFd_(stopFd) {}

  // On false, failure() says why.
  bool handshake(Clock::time_point deadline) {
    while (true) {
      const int result = SSL_accept(ssl_.get());
      if (result == 1) {
        return true;
      }
      if (!retry(result, "TLS handshake", deadline, Stop::honoured)) {
        return false;
      }
    }
  }

  enum class Stop { honoured, ignored };

  // Appends what arrives next to `into`. False when the peer closed, the
  // deadline passed, the server is stopping (if `stop` is honoured and nothing
  // has arrived) or the connection failed.
  bool readSome(std::string& into, Clock::time_point deadline, Stop stop) {
    char buffer[kReadChunkBytes];
    while (true) {
      std::size_t count = 0;
      const int result = SSL_read_ex(ssl_.get(), buffer, sizeof(buffer), &count);
      if (result == 1) {
        into.append(buffer, count);
        return true;
      }
      if (!retry(result, "read", deadline, stop)) {
        return false;
      }
    }
  }

  bool writeAll(std::string_view data, Clock::time_point deadline) {
    while (!data.empty()) {
      std::size_t count = 0;
      const int result = SSL_write_ex(ssl_.get(), data.data(), data.size(), &count);
      if (result == 1) {
        data.remove_prefix(count);
        continue;
      }
      if (!retry(result, "write", deadline, Stop::ignored)) {
        return false;
      }
    }
    return true;
  }

  // Sends close_notify without waiting for the peer's.
  void close() {
    if (!failed_) {
      ERR_clear_error();
      SSL_shutdown(ssl_.get());
    }
  }

  const std::string& failure() const { return failure_; }

  bool stopRequested() const {
    pollfd stop = {stopFd_, POLLIN, 0};
    return ::poll(&stop, 1, 0) > 0 && (stop.revents & POLLIN) != 0;
  }

 private:
  enum class Wait { ready, timedOut, stopping };

  // After an SSL call returned `result` <= 0: waits when OpenSSL needs the
  // socket and returns true to call again; otherwise records why not.
  bool retry(int result, std::string_view what, Clock::time_point deadline, Stop stop) {
    const int error = SSL_get_error(ssl_.get(), result);
    std::optional<Wait> waited;
    if (error == SSL_ERROR_WANT_READ) {
      waited = waitFor(POLLIN, deadline, stop);
    } else if (error == SSL_ERROR_WANT_WRITE) {
      waited = waitFor(POLLOUT, deadline, stop);
    }
    if (waited == Wait::ready) {
      return true;
    }
    if (waited == Wait::timedOut) {
      failure_ = std::string(what) + " timed out";
    } else if (waited == Wait::stopping) {
      failure_ = "server stopping";
    } else if (error == SSL_ERROR_ZERO_RETURN) {
      failure_ = "closed by the peer";
    } else {
      failed_ = true;
      char reason[256] = "connection closed by the peer";
      if (const unsigned long code = ERR_get_error(); code != 0) {
        ERR_error_string_n(code, reason, sizeof(reason));
      } else if (error == SSL_ERROR_SYSCALL && errno != 0) {
        std::snprintf(reason, sizeof(reason), "%s", std::strerror(errno));
      }
      failure_ = std::string(what) + " failed: " + reason;
    }
    ERR_clear_error();
    return false;
  }

  Wait waitFor(short events, Clock::time_point deadline, Stop stop) {
    const nfds_t watched = stop == Stop::honoured ? 2 : 1;
    while (true) {
      const auto remaining =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (remaining <= 0) {
        return Wait::timedOut;
      }
      pollfd fds[2] = {{fd_.get(), events, 0}, {stopFd_, POLLIN, 0}};
      const int ready =
          ::poll(fds, watched, static_cast<int>(std::min<long long>(remaining, 60'000)));
      if (ready < 0 && errno != EINTR) {
        return Wait::stopping;  // poll itself failing leaves nothing to wait on
      }
      if (ready <= 0) {
        continue;
      }
      // The peer first: a request already sent when the stop came is answered.
      if (fds[0].revents != 0) {
        return Wait::ready;  // readable, writable, or an error the next SSL call reports
      }
      if ((fds[1].revents & POLLIN) != 0) {
        return Wait::stopping;
      }
    }
  }

  UniqueFd fd_;
  SslPtr ssl_;
  const int stopFd_;
  bool failed_ = false;  // a fatal TLS error: no close_notify may follow
  std::string failure_;
};

struct HttpRequest {
  std::string method;
  std::string path;  // without the query
  std::string version;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string contentType = "text/plain; charset=utf-8";
  std::string body;
  std::string allow;  // the Allow header of a 405
};

// Parses the request line and headers (without the blank line). Throws
// std::invalid_argument saying what is malformed.
HttpRequest parseHead(std::string_view head) {
  HttpRequest request;
  const std::size_t lineEnd = std::min(head.find("\r\n"), head.size());
  const std::string_view requestLine = head.substr(0, lineEnd);
  const std::size_t firstSpace = requestLine.find(' ');
  const std::size_t secondSpace =
      firstSpace == std::string_view::npos ? firstSpace : requestLine.find(' ', firstSpace + 1);
  if (secondSpace == std::string_view::npos) {
    throw std::invalid_argument("malformed request line");
  }
  request.method = requestLine.substr(0, firstSpace);
  const std::string_view target = requestLine.substr(firstSpace + 1, secondSpace - firstSpace - 1);
  request.path = target.substr(0, target.find('?'));
  request.version = requestLine.substr(secondSpace + 1);
  if (request.version != "HTTP/1.1" && request.version != "HTTP/1.0") {
    throw std::invalid_argument("unsupported HTTP version");
  }
  std::string_view rest = lineEnd < head.size() ? head.substr(lineEnd + 2) : std::string_view{};
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find("\r\n"), rest.size());
    const std::string_view line = rest.substr(0, end);
    rest = end < rest.size() ? rest.substr(end + 2) : std::string_view{};
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      throw std::invalid_argument("malformed header line");
    }
    const std::string name = lowercase(line.substr(0, colon));
    const std::string value(trimHeaderValue(line.substr(colon + 1)));
    const auto [it, inserted] = request.headers.emplace(name, value);
    // Two lengths that disagree are how requests get smuggled past proxies.
    if (!inserted && name == "content-length" && it->second != value) {
      throw std::invalid_argument("conflicting Content-Length headers");
    }
  }
  return request;
}

std::optional<std::size_t> parseContentLength(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(std::stoull(text));
}

// HTTP/1.0 clients are not the apiserver; they get one request per connection.
bool wantsClose(const HttpRequest& request) {
  return request.version == "HTTP/1.0" ||
         lowercase(request.header("connection")).find("close") != std::string::npos;
}

bool isJson(const std::string& contentType) {
  const std::string_view mediaType =
      trimHeaderValue(std::string_view(contentType).substr(0, contentType.find(';')));
  return lowercase(mediaType) == "application/json";
}

std::string renderResponse(const HttpResponse& response, bool keepAlive) {
  std::string out =
      "HTTP/1.1 " + std::to_string(response.status) + " " + reasonPhrase(response.status) + "\r\n";
  out += "Content-Type: " + response.contentType + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  out += "X-Content-Type-Options: nosniff\r\n";
  if (!response.allow.empty()) {
    out += "Allow: " + response.allow + "\r\n";
  }
  if (!keepAlive) {
    out += "Connection: close\r\n";
  }
  out += "\r\n";
  out += response.body;
  return out;
}

HttpResponse textResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body) + "\n";
  return response;
}

// SSL_write() on a socket the peer closed raises SIGPIPE, whose default
// action ends the process; blocked in this thread, the write fails with EPIPE.
void blockSigpipeInThisThread() {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
}

// controller-runtime's webhook metrics, under its names and help texts.
struct WebhookMetrics {
  explicit WebhookMetrics(metrics::Registry& registry)
      : requests(registry.counter("controller_runtime_webhook_requests_total",
                                  "Total number of admission requests by HTTP status code.",
                                  {"webhook", "code"})),
        inFlight(registry.gauge("controller_runtime_webhook_requests_in_flight",
                                "Current number of admission requests being served.", {"webhook"})),
        latency(registry.histogram("controller_runtime_webhook_latency_seconds",
                                   "Histogram of the latency of processing admission requests",
                                   {"webhook"},
                                   // prometheus.DefBuckets, as controller-runtime uses.
                                   {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10})) {}

  metrics::CounterFamily& requests;
  metrics::GaugeFamily& inFlight;
  metrics::HistogramFamily& latency;
};

// Counts one request of a registered webhook from its headers to its answer.
class RequestObservation {
 public:
  RequestObservation(WebhookMetrics* metrics, std::string webhook)
      : metrics_(metrics), webhook_(std::move(webhook)), start_(Clock::now()) {
    if (metrics_ != nullptr) {
      metrics_->inFlight.withLabels({webhook_}).inc();
    }
  }
  RequestObservation(const RequestObservation&) = delete;
  RequestObservation& operator=(const RequestObservation&) = delete;
  // A request whose connection broke before an answer is no longer in flight.
  ~RequestObservation() {
    if (metrics_ != nullptr && !finished_) {
      metrics_->inFlight.withLabels({webhook_}).dec();
    }
  }

  // Before the answer is written: once a client has it, the counts include it.
  void finish(int status) {
    if (metrics_ != nullptr && !finished_) {
      metrics_->latency.withLabels({webhook_})
          .observe(std::chrono::duration<double>(Clock::now() - start_).count());
      metrics_->requests.withLabels({webhook_, std::to_string(status)}).inc();
      metrics_->inFlight.withLabels({webhook_}).dec();
    }
    finished_ = true;
  }

 private:
  WebhookMetrics* const metrics_;
  const std::string webhook_;
  const Clock::time_point start_;
  bool finished_ = false;
};

// The threads serving connections, one each. Destruction wakes every one of
// them through the stop pipe and joins them, however run() is left.
class ConnectionThreads {
 public:
  ConnectionThreads() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
      throw std::runtime_error("webhook server: cannot create the stop pipe: " + errnoText());
    }
    stopRead_ = UniqueFd(fds[0]);
    stopWrite_ = UniqueFd(fds[1]);
  }
  ConnectionThreads(const ConnectionThreads&) = delete;
  ConnectionThreads& operator=(const ConnectionThreads&) = delete;
  ~ConnectionThreads() {
    stop();
    workers_.clear();  // joins
  }

  // Readable from the first stop() on; never drained, so every waiter sees it.
  int stopFd() const { return stopRead_.get(); }
  void stop() const {
    const char byte = 0;
    [[maybe_unused]] const ssize_t n = ::write(stopWrite_.get(), &byte, 1);
  }

  template <typename Serve>
  void start(Serve serve) {
    Worker& worker = workers_.emplace_back();
    worker.thread = std::jthread([&done = worker.done, serve = std::move(serve)]() mutable {
      serve();
      done.store(true);
    });
  }

  // Joins the threads whose connection ended; returns how many still serve.
  std::size_t reap() {
    workers_.remove_if([](const Worker& worker) { return worker.done.load(); });
    return workers_.size();
  }

 private:
  struct Worker {
    std::atomic<bool> done{false};
    std::jthread thread;  // after `done`: joined before it is destroyed
  };

  UniqueFd stopRead_;
  UniqueFd stopWrite_;
  std::list<Worker> workers_;  // only the accepting thread touches it
};

}  // namespace

class WebhookServer::Impl {
 public:
  Impl(WebhookServerOptions options, Logger logger)
      : options_(std::move(options)),
        logger_(logger.withValues({{"server", "webhook"}, {"address", options_.bindAddress}})) {
    if (options_.registry != nullptr) {
      metrics_.emplace(*options_.registry);
    }
  }

  std::string certPath() const { return options_.certDir + "/" + options_.certName; }
  std::string keyPath() const { return options_.certDir + "/" + options_.keyName; }

  void listen() {
    std::lock_guard lock(mutex_);
    if (listener_.valid()) {
      return;
    }
    try {
      certificates_ = std::make_unique<TlsCertificateStore>(
          certPath(), keyPath(), options_.certificateCheckInterval, logger_);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("webhook server: ") + e.what());
    }
    ListeningSocket socket = listenOn(options_.bindAddress, "webhook server", 128);
    listener_ = std::move(socket.fd);
    port_ = socket.port;
    logger_.info("serving HTTPS on port {} with certificate {}", port_, certPath());
  }

  void run(std::stop_token stop) {
    listen();
    {
      ConnectionThreads connections;
      const std::stop_callback onStop(stop, [&connections] { connections.stop(); });
      const std::size_t capacity = static_cast<std::size_t>(std::max(1, options_.maxConnections));
      while (!stop.stop_requested()) {
        const bool full = connections.reap() >= capacity;
        pollfd fds[2] = {{listener_.get(), static_cast<short>(full ? 0 : POLLIN), 0},
                         {connections.stopFd(), POLLIN, 0}};
        if (::poll(fds, 2, full ? kCapacityPollMilliseconds : -1) < 0) {
          if (errno == EINTR) {
            continue;
          }
          throw std::runtime_error("webhook server: poll failed: " + errnoText());
        }
        if ((fds[1].revents & POLLIN) != 0) {
          break;
        }
        if ((fds[0].revents & POLLIN) == 0) {
          continue;
        }
        UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!client.valid()) {
          // The peer may have gone already, or descriptors run out for a moment.
          logger_.debug("accept failed: {}", errnoText());
          continue;
        }
        connections.start([this, fd = std::move(client), stopFd = connections.stopFd()]() mutable {
          serveConnection(std::move(fd), stopFd);
        });
      }
    }  // wakes and joins every connection thread
    std::lock_guard lock(mutex_);
    listener_.reset();
    logger_.info("stopped");
  }

  void serveConnection(UniqueFd fd, int stopFd) noexcept {
    blockSigpipeInThisThread();
    const Logger log = logger_.withValues({{"remote", peerAddress(fd.get())}});
    try {
      const int one = 1;
      ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      SslPtr ssl(SSL_new(certificates_->current().get()));
      if (!ssl || SSL_set_fd(ssl.get(), fd.get()) != 1) {
        log.error("cannot set up TLS for a connection");
        return;
      }
      TlsConnection connection(std::move(fd), std::move(ssl), stopFd);
      if (!connection.handshake(Clock::now() + options_.readTimeout)) {
        // Debug: load balancer probes and untrusting clients would flood the log.
        log.debug("connection closed: {}", connection.failure());
        return;
      }
      std::string inbox;
      while (serveRequest(connection, inbox, log)) {
      }
      if (!connection.failure().empty()) {
        log.debug("connection closed: {}", connection.failure());
      }
      connection.close();
    } catch (const std::exception& e) {
      log.error("connection failed: {}", e.what());
    }
  }

  // Reads one request from the connection (bytes after it stay in `inbox`),
  // answers it, and says whether the connection stays open for another.
  bool serveRequest(TlsConnection& connection, std::string& inbox, const Logger& log) {
    Clock::time_point deadline =
        Clock::now() + (inbox.empty() ? options_.idleTimeout : options_.readTimeout);
    std::size_t headEnd = 0;
    while ((headEnd = inbox.find("\r\n\r\n")) == std::string::npos) {
      if (inbox.size() > kMaxHeaderBytes) {
        return refuse(connection, textResponse(431, "request headers too large"));
      }
      const bool idle = inbox.empty();
      using Stop = TlsConnection::Stop;
      if (!connection.readSome(inbox, deadline, idle ? Stop::honoured : Stop::ignored)) {
        return false;
      }
      if (idle) {
        deadline = Clock::now() + options_.readTimeout;
      }
    }
    HttpRequest request;
    try {
      request = parseHead(std::string_view(inbox).substr(0, headEnd));
    } catch (const std::invalid_argument& e) {
      return refuse(connection, textResponse(400, e.what()));
    }
    inbox.erase(0, headEnd + 4);

    const AdmissionHandler handler = find(request.path);
    std::optional<RequestObservation> observation;
    if (handler) {
      observation.emplace(metrics_ ? &*metrics_ : nullptr, request.path);
    }
    const auto refuseObserved = [&](HttpResponse response) {
      if (observation) {
        observation->finish(response.status);
      }
      return refuse(connection, std::move(response));
    };
    if (!request.header("transfer-encoding").empty()) {
      return refuseObserved(textResponse(411, "a Content-Length body is required"));
    }
    const std::string lengthText = request.header("content-length");
    const std::optional<std::size_t> length =
        lengthText.empty() ? std::optional<std::size_t>(0) : parseContentLength(lengthText);
    if (!length) {
      return refuseObserved(textResponse(400, "invalid Content-Length " + lengthText));
    }
    if (*length > kMaxBodyBytes) {
      return refuseObserved(textResponse(413, "request body of " + std::to_string(*length) +
                                                  " bytes exceeds the limit of " +
                                                  std::to_string(kMaxBodyBytes)));
    }
    if (lowercase(request.header("expect")) == "100-continue" && inbox.size() < *length) {
      const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
      if (!connection.writeAll(interim, Clock::now() + options_.readTimeout)) {
        return false;
      }
    }
    while (inbox.size() < *length) {
      if (!connection.readSome(inbox, deadline, TlsConnection::Stop::ignored)) {
        return false;
      }
    }
    request.body = inbox.substr(0, *length);
    inbox.erase(0, *length);

    const HttpResponse response =
        handler ? admit(request, handler, log) : textResponse(404, "404 page not found");
    if (observation) {
      observation->finish(response.status);
    }
    // Once stopping, the client must not send another request on this connection.
    const bool keepAlive = !wantsClose(request) && !connection.stopRequested();
    return connection.writeAll(renderResponse(response, keepAlive),
                               Clock::now() + options_.readTimeout) &&
           keepAlive;
  }

  // Answers and ends the connection: what follows in the stream cannot be
  // trusted to start at a request boundary.
  bool refuse(TlsConnection& connection, const HttpResponse& response) {
    connection.writeAll(renderResponse(response, false), Clock::now() + options_.readTimeout);
    return false;
  }

  HttpResponse admit(const HttpRequest& request, const AdmissionHandler& handler,
                     const Logger& log) {
    if (request.method != "POST") {
      HttpResponse response = textResponse(405, "only POST is served on " + request.path);
      response.allow = "POST";
      return response;
    }
    if (const std::string contentType = request.header("content-type"); !isJson(contentType)) {
      return textResponse(415, "Content-Type " + (contentType.empty() ? "(none)" : contentType) +
                                   ", expected application/json");
    }
    AdmissionRequest review;
    try {
      review = parseAdmissionReview(request.body);
    } catch (const AdmissionReviewError& e) {
      log.error("webhook {}: malformed AdmissionReview: {}", request.path, e.what());
      return textResponse(400, e.what());
    }
    HttpResponse response;
    response.contentType = "application/json";
    try {
      response.body = renderAdmissionReview(review, handler(review));
    } catch (const std::exception& e) {
      log.error("webhook {} failed on request {}: {}", request.path, review.uid, e.what());
      response.body = renderAdmissionReview(
          review, AdmissionResponse::deny(request.path + ": " + e.what(), 500, "InternalError"));
    } catch (...) {
      log.error("webhook {} failed on request {} with a non-standard exception", request.path,
                review.uid);
      response.body = renderAdmissionReview(
          review, AdmissionResponse::deny(request.path + ": unknown error", 500, "InternalError"));
    }
    log.debug("webhook {} answered request {} ({} {}/{})", request.path, review.uid,
              review.operation, review.namespace_, review.name);
    return response;
  }

  AdmissionHandler find(const std::string& path) const {
    std::lock_guard lock(mutex_);
    const auto it = routes_.find(path);
    return it == routes_.end() ? AdmissionHandler{} : it->second;
  }

  const WebhookServerOptions options_;
  const Logger logger_;
  std::optional<WebhookMetrics> metrics_;
  mutable std::mutex mutex_;
  std::map<std::string, AdmissionHandler> routes_;     // guarded by mutex_
  UniqueFd listener_;                                  // guarded by mutex_
  int port_ = 0;                                       // guarded by mutex_
  std::unique_ptr<TlsCertificateStore> certificates_;  // set by listen(), before any connection
};

WebhookServer::WebhookServer(WebhookServerOptions options, Logger logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(logger))) {}
WebhookServer::~WebhookServer() = default;

void WebhookServer::handle(AdmissionWebhook webhook) {
  if (webhook.path.empty() || webhook.path.front() != '/') {
    throw std::invalid_argument("webhook path \"" + webhook.path + "\" must start with /");
  }
  if (!webhook.handler) {
    throw std::invalid_argument("webhook " + webhook.path + " has no handler");
  }
  std::lock_guard lock(impl_->mutex_);
  if (!impl_->routes_.emplace(webhook.path, std::move(webhook.handler)).second) {
    throw std::invalid_argument("webhook path " + webhook.path + " is registered twice");
  }
}

void WebhookServer::listen() {
  impl_->listen();
}
int WebhookServer::port() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->port_;
}
void WebhookServer::run(std::stop_token stop) {
  impl_->run(std::move(stop));
}

}  // namespace landlord::kube
