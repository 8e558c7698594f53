// One connection's life, from handshake to close, as a chain of asynchronous
// steps on its strand; and the tracker of live connections (see connection.h).
#include "connection.h"

#include <sys/socket.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <type_traits>
#include <variant>

#include "http_messages.h"

namespace landlord::kube::server {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// How long a closing connection may take to say goodbye (TLS close_notify,
// or the client's last bytes after an early answer) before it is cut.
constexpr std::chrono::seconds kGoodbyeTimeout{1};
// How long a stopping server still waits for a request on an idle connection.
constexpr std::chrono::milliseconds kStopGrace{100};
// The first read of a request, and of each later one.
constexpr std::size_t kFirstReadBytes = 8 * 1024;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Errors that only mean the connection ended, not worth more than debug.
std::string describe(const beast::error_code& error) {
  if (error == beast::error::timeout) {
    return "timed out";
  }
  if (error == net::error::eof || error == http::error::end_of_stream) {
    return "closed by the peer";
  }
  return error.message();
}

template <class Stream>
class Connection final : public ConnectionBase,
                         public std::enable_shared_from_this<Connection<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  template <class... StreamArgs>
  Connection(ServingContext& context, std::string remote, StreamArgs&&... streamArgs)
      : context_(context),
        remote_(std::move(remote)),
        stream_(std::forward<StreamArgs>(streamArgs)...) {}

  ~Connection() override { context_.tracker.remove(this); }

  void start() override {
    onStrand([](Connection& self) { self.begin(); });
  }

  void evict() override {
    onStrand([](Connection& self) {
      if (self.waitingForClient()) {
        self.log("closed to make room for a new connection");
        self.close();
      }
    });
  }

  // An idle connection closes after kStopGrace with nothing arriving: the API
  // server may have sent a request just before it learnt of the stop, and
  // would not retry it. A handshake under way goes on to that same wait.
  void stop() override {
    onStrand([](Connection& self) {
      self.stopping_ = true;
      if (self.state_ == State::idle) {
        self.closeIfStillIdleAfter(kStopGrace);
      }
    });
  }

  // The strand may be inside a handler that has not returned: the socket is
  // shut down from here so the client learns at once, and closed on the
  // strand when the handler is done.
  void abort() override {
    {
      std::lock_guard lock(socketMutex_);
      if (socketOpen_) {
        ::shutdown(lowest().socket().native_handle(), SHUT_RDWR);
      }
    }
    onStrand([](Connection& self) { self.close(); });
  }

 private:
  enum class State { handshake, idle, reading, handling, writing, closing, closed };

  const EndpointServerOptions& options() const { return context_.options; }
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  bool waitingForClient() const { return state_ == State::handshake || state_ == State::idle; }

  template <class Step>
  void onStrand(Step step) {
    net::dispatch(stream_.get_executor(),
                  [self = this->shared_from_this(), step]() mutable { step(*self); });
  }

  // Every completion handler holds the connection alive, and is ignored
  // once the connection has been closed.
  template <class Step>
  auto resume(Step step) {
    return [self = this->shared_from_this(), step](auto&&... results) mutable {
      if (self->state_ != State::closed) {
        step(*self, std::forward<decltype(results)>(results)...);
      }
    };
  }

  // The idle read's own deadline is the idle timeout; a stopping server's
  // shorter wait is this timer's.
  void closeIfStillIdleAfter(std::chrono::milliseconds wait) {
    const std::uint64_t request = requests_;
    stopGrace_.expires_after(wait);
    stopGrace_.async_wait(resume([request](Connection& self, beast::error_code) {
      if (self.state_ == State::idle && self.requests_ == request) {
        self.close();
      }
    }));
  }

  void enter(State state) {
    const bool waiting = state == State::handshake || state == State::idle;
    if (waiting != waitingForClient()) {
      context_.tracker.setWaiting(this, waiting);
    }
    state_ = state;
  }

  template <class... Args>
  void log(fmt::format_string<Args...> format, Args&&... args) const {
    context_.logger.withValues({{"remote", remote_}}).debug(format, std::forward<Args>(args)...);
  }

  void begin() {
    if (stopping_) {
      close();
      return;
    }
    if constexpr (kTls) {
      enter(State::handshake);
      lowest().expires_after(options().requestTimeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              resume([](Connection& self, beast::error_code error) {
                                if (error) {
                                  self.end(error, "TLS handshake");
                                } else {
                                  self.awaitRequest();
                                }
                              }));
    } else {
      awaitRequest();
    }
  }

  // Waits, up to the idle timeout, for the first bytes of the next request.
  void awaitRequest() {
    if (buffer_.size() > 0) {  // pipelined: the next request has begun
      readHeader();
      return;
    }
    enter(State::idle);
    lowest().expires_after(options().idleTimeout);
    if (stopping_) {
      closeIfStillIdleAfter(kStopGrace);
    }
    stream_.async_read_some(
        buffer_.prepare(kFirstReadBytes),
        resume([](Connection& self, beast::error_code error, std::size_t bytes) {
          if (error) {
            self.end(error, "waiting for a request");
            return;
          }
          self.buffer_.commit(bytes);
          self.readHeader();
        }));
  }

  void readHeader() {
    ++requests_;
    enter(State::reading);
    parser_.emplace();
    limitParser(*parser_, {options().maxHeaderBytes, options().maxBodyBytes});
    // One deadline for the whole request, however its bytes trickle in.
    deadline_ = Clock::now() + options().requestTimeout;
    lowest().expires_at(deadline_);
    http::async_read_header(stream_, buffer_, *parser_,
                            resume([](Connection& self, beast::error_code error, std::size_t) {
                              if (error) {
                                self.onReadError(error);
                                return;
                              }
                              self.received_ = Clock::now();
                              self.continueIfExpected();
                            }));
  }

  // A client that sent "Expect: 100-continue" waits for this before the body.
  void continueIfExpected() {
    const auto& header = parser_->get();
    if (parser_->is_done() || !beast::iequals(header[http::field::expect], "100-continue")) {
      readBody();
      return;
    }
    interim_.emplace(http::status::continue_, header.version());
    lowest().expires_at(deadline_);
    http::async_write(stream_, *interim_,
                      resume([](Connection& self, beast::error_code error, std::size_t) {
                        self.interim_.reset();
                        if (error) {
                          self.end(error, "writing 100 Continue");
                        } else {
                          self.readBody();
                        }
                      }));
  }

  void readBody() {
    if (parser_->is_done()) {
      handle();
      return;
    }
    lowest().expires_at(deadline_);
    http::async_read(stream_, buffer_, *parser_,
                     resume([](Connection& self, beast::error_code error, std::size_t) {
                       if (error) {
                         self.onReadError(error);
                       } else {
                         self.handle();
                       }
                     }));
  }

  void onReadError(const beast::error_code& error) {
    if (const std::optional<Refusal> refusal = refusalFor(error)) {
      log("refused a request with {}: {}", refusal->status, refusal->reason);
      head_ = false;
      version_ = 11;
      keepAlive_ = false;
      respond(textResponse(refusal->status, refusal->reason));
      return;
    }
    end(error, "reading a request");
  }

  void handle() {
    enter(State::handling);
    lowest().expires_never();
    http::request<http::string_body> message = parser_->release();
    parser_.reset();
    head_ = message.method() == http::verb::head;
    version_ = message.version();
    keepAlive_ = message.keep_alive();
    std::variant<EndpointRequest, Refusal> request =
        toEndpointRequest(std::move(message), received_);
    if (const auto* refusal = std::get_if<Refusal>(&request)) {
      keepAlive_ = false;
      respond(textResponse(refusal->status, refusal->reason));
      return;
    }
    respond(context_.dispatch(std::get<EndpointRequest>(request)));
  }

  void respond(EndpointResponse response) {
    enter(State::writing);
    keepAlive_ = keepAlive_ && !stopping_ && !context_.stopping;
    response_.emplace(toHttpResponse(response, head_, keepAlive_, version_));
    lowest().expires_after(options().requestTimeout);
    http::async_write(stream_, *response_,
                      resume([](Connection& self, beast::error_code error, std::size_t) {
                        self.response_.reset();
                        if (error) {
                          self.end(error, "writing an answer");
                        } else if (self.keepAlive_) {
                          self.awaitRequest();
                        } else {
                          self.finish();
                        }
                      }));
  }

  // Closes after a goodbye: TLS close_notify, or for plain TCP the end of
  // our side and what the client still sends read away, so that an early
  // answer (413) reaches it rather than a reset.
  void finish() {
    enter(State::closing);
    lowest().expires_after(kGoodbyeTimeout);
    if constexpr (kTls) {
      stream_.async_shutdown(resume([](Connection& self, beast::error_code) { self.close(); }));
    } else {
      beast::error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      drain();
    }
  }

  void drain() {
    lowest().async_read_some(net::buffer(drained_),
                             resume([](Connection& self, beast::error_code error, std::size_t) {
                               if (error) {
                                 self.close();
                               } else {
                                 self.drain();
                               }
                             }));
  }

  void end(const beast::error_code& error, std::string_view during) {
    if (error != net::error::operation_aborted) {
      log("connection closed while {}: {}", during, describe(error));
    }
    close();
  }

  void close() {
    if (state_ == State::closed) {
      return;
    }
    enter(State::closed);
    stopGrace_.cancel();
    std::lock_guard lock(socketMutex_);
    socketOpen_ = false;
    lowest().close();
  }

  ServingContext& context_;
  const std::string remote_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::optional<http::response<http::empty_body>> interim_;
  std::optional<Response> response_;
  std::array<char, 4096> drained_{};
  State state_ = State::reading;  // neither waiting nor closed until begin()
  net::steady_timer stopGrace_{stream_.get_executor()};
  std::uint64_t requests_ = 0;  // requests begun; tells a grace timer its wait is over
  bool stopping_ = false;
  bool keepAlive_ = false;
  // abort() reaches the socket off the strand; this keeps it from shutting
  // down a descriptor that close() has already given back.
  std::mutex socketMutex_;
  bool socketOpen_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  Clock::time_point deadline_;
  Clock::time_point received_;
};

std::string remoteOf(const tcp::socket& socket) {
  beast::error_code error;
  const tcp::endpoint peer = socket.remote_endpoint(error);
  if (error) {
    return "unknown";
  }
  return peer.address().to_string() + ":" + std::to_string(peer.port());
}

}  // namespace

std::shared_ptr<ConnectionBase> makePlainConnection(tcp::socket socket, ServingContext& context) {
  std::string remote = remoteOf(socket);
  return std::make_shared<Connection<PlainStream>>(context, std::move(remote), std::move(socket));
}

std::shared_ptr<ConnectionBase> makeTlsConnection(tcp::socket socket, net::ssl::context& tls,
                                                  ServingContext& context) {
  std::string remote = remoteOf(socket);
  return std::make_shared<Connection<TlsStream>>(context, std::move(remote), std::move(socket),
                                                 tls);
}

std::shared_ptr<ConnectionBase> ConnectionTracker::add(
    const std::shared_ptr<ConnectionBase>& connection) {
  std::lock_guard lock(mutex_);
  entries_.emplace(connection.get(), Entry{connection, std::nullopt});
  return entries_.size() > maxConnections_ ? longestWaitingLocked() : nullptr;
}

void ConnectionTracker::remove(const ConnectionBase* connection) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(connection);
  if (it == entries_.end()) {
    return;
  }
  if (it->second.waiting) {
    waiting_.erase(*it->second.waiting);
  }
  entries_.erase(it);
  if (entries_.empty()) {
    emptied_.notify_all();
  }
}

void ConnectionTracker::setWaiting(const ConnectionBase* connection, bool waiting) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(connection);
  if (it == entries_.end() || it->second.waiting.has_value() == waiting) {
    return;
  }
  if (waiting) {
    it->second.waiting = waiting_.insert(waiting_.end(), connection);
  } else {
    waiting_.erase(*it->second.waiting);
    it->second.waiting.reset();
  }
}

std::shared_ptr<ConnectionBase> ConnectionTracker::longestWaiting() {
  std::lock_guard lock(mutex_);
  return longestWaitingLocked();
}

std::shared_ptr<ConnectionBase> ConnectionTracker::longestWaitingLocked() {
  // Taken off the list: evicting it twice would do no good.
  while (!waiting_.empty()) {
    const ConnectionBase* oldest = waiting_.front();
    Entry& entry = entries_.at(oldest);
    waiting_.pop_front();
    entry.waiting.reset();
    if (std::shared_ptr<ConnectionBase> connection = entry.connection.lock()) {
      return connection;
    }
  }
  return nullptr;
}

std::vector<std::shared_ptr<ConnectionBase>> ConnectionTracker::all() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<ConnectionBase>> out;
  out.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) {
    if (std::shared_ptr<ConnectionBase> connection = entry.connection.lock()) {
      out.push_back(std::move(connection));
    }
  }
  return out;
}

std::size_t ConnectionTracker::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

bool ConnectionTracker::waitUntilEmpty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return emptied_.wait_for(lock, timeout, [this] { return entries_.empty(); });
}

}  // namespace landlord::kube::server
