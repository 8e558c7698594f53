// BeastConnection: connect, TLS handshake, one request and its response at a
// time, each step under the request timeout, all on the caller's thread.
#include "beast_connection.h"

#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <limits>

namespace landlord::kube {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// A list of 500 nodes is a few megabytes; anything near this is not a response
// the API server sends a controller.
constexpr std::uint64_t kBodyLimit = std::uint64_t{1} << 30;
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

std::string describe(const char* step, const beast::error_code& error) {
  if (error == beast::error::timeout) {
    return std::string(step) + ": no answer within the request timeout";
  }
  return std::string(step) + ": " + error.message();
}

}  // namespace

BeastConnection::BeastConnection(const ServerAddress& address, net::ssl::context* tls,
                                 std::string serverName, std::chrono::milliseconds timeout)
    : address_(address), tls_(tls), serverName_(std::move(serverName)), timeout_(timeout) {}

BeastConnection::~BeastConnection() {
  close();
}

void BeastConnection::close() {
  beast::error_code ignored;
  if (secure_) {
    // No close_notify: waiting for the server's would hold the caller.
    beast::get_lowest_layer(*secure_).socket().close(ignored);
    secure_.reset();
  }
  if (plain_) {
    plain_->socket().close(ignored);
    plain_.reset();
  }
  buffer_.clear();
}

void BeastConnection::arm(beast::tcp_stream& stream) {
  if (timeout_.count() > 0) {
    stream.expires_after(timeout_);
  } else {
    stream.expires_never();
  }
}

void BeastConnection::run() {
  io_.restart();
  io_.run();
}

std::optional<std::string> BeastConnection::connect() {
  beast::error_code error;
  tcp::resolver resolver(io_);
  const auto endpoints = resolver.resolve(address_.host, address_.port, error);
  if (error) {
    return describe("resolve", error);
  }
  beast::tcp_stream* lowest = nullptr;
  if (tls_ != nullptr) {
    secure_.emplace(io_, *tls_);
    verifyServerName(secure_->native_handle(), serverName_);
    lowest = &beast::get_lowest_layer(*secure_);
  } else {
    plain_.emplace(io_);
    lowest = &*plain_;
  }
  arm(*lowest);
  lowest->async_connect(endpoints,
                        [&](const beast::error_code& e, const tcp::endpoint&) { error = e; });
  run();
  if (error) {
    close();
    return describe("connect", error);
  }
  lowest->socket().set_option(tcp::no_delay(true), error);  // small requests, answered at once
  if (secure_) {
    arm(*lowest);
    secure_->async_handshake(net::ssl::stream_base::client,
                             [&](const beast::error_code& e) { error = e; });
    run();
    if (error) {
      close();
      return describe("TLS handshake", error);
    }
  }
  return std::nullopt;
}

template <class Stream>
std::variant<HttpResponse, RoundTripError> BeastConnection::exchange(Stream& stream,
                                                                     const Request& request) {
  beast::tcp_stream& lowest = beast::get_lowest_layer(stream);
  beast::error_code error;
  std::size_t written = 0;
  arm(lowest);
  http::async_write(stream, request, [&](const beast::error_code& e, std::size_t bytes) {
    error = e;
    written = bytes;
  });
  run();
  if (error) {
    close();
    return RoundTripError{describe("write", error), written > 0, false};
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  parser.header_limit(kHeaderLimit);
  std::size_t read = 0;
  arm(lowest);
  http::async_read(stream, buffer_, parser, [&](const beast::error_code& e, std::size_t bytes) {
    error = e;
    read = bytes;
  });
  run();
  if (error) {
    const bool started = read > 0 || parser.got_some();
    close();
    return RoundTripError{describe("read", error), true, started};
  }
  lowest.expires_never();
  http::response<http::string_body> response = parser.release();
  HttpResponse out;
  out.status = static_cast<int>(response.result_int());
  if (auto retry = response.find(http::field::retry_after); retry != response.end()) {
    try {
      out.retryAfterSeconds = std::stoi(std::string(retry->value()));
    } catch (const std::exception&) {
      // an HTTP date: no hint
    }
  }
  if (!response.keep_alive()) {
    close();
  }
  out.body = std::move(response.body());
  return out;
}

std::variant<HttpResponse, RoundTripError> BeastConnection::roundTrip(const Request& request) {
  if (!plain_ && !secure_) {
    if (auto failed = connect()) {
      return RoundTripError{*failed, false, false};
    }
  }
  used_ = true;
  return secure_ ? exchange(*secure_, request) : exchange(*plain_, request);
}

beast::tcp_stream* BeastConnection::lowest() {
  return secure_ ? &beast::get_lowest_layer(*secure_) : (plain_ ? &*plain_ : nullptr);
}

bool BeastConnection::reusable() {
  beast::tcp_stream* stream = lowest();
  if (streamed_ || stream == nullptr || !stream->socket().is_open() || buffer_.size() > 0) {
    return false;
  }
  pollfd ready{stream->socket().native_handle(), POLLIN, 0};
  return ::poll(&ready, 1, 0) == 0;
}

template <class Stream>
std::variant<int, RoundTripError> BeastConnection::writeAndReadHeader(Stream& stream,
                                                                      const Request& request) {
  beast::tcp_stream& lowest = beast::get_lowest_layer(stream);
  beast::error_code error;
  arm(lowest);
  http::async_write(stream, request, [&](const beast::error_code& e, std::size_t) { error = e; });
  run();
  if (error) {
    close();
    return RoundTripError{describe("write", error), true, false};
  }
  streamed_.emplace();
  // A watch runs for as long as the server keeps it.
  streamed_->body_limit(std::numeric_limits<std::uint64_t>::max());
  streamed_->header_limit(kHeaderLimit);
  arm(lowest);
  http::async_read_header(stream, buffer_, *streamed_,
                          [&](const beast::error_code& e, std::size_t) { error = e; });
  run();
  if (error) {
    close();
    return RoundTripError{describe("read", error), true, true};
  }
  return static_cast<int>(streamed_->get().result_int());
}

std::variant<int, RoundTripError> BeastConnection::startStream(
    const Request& request, std::chrono::milliseconds idleTimeout) {
  idleTimeout_ = idleTimeout;
  if (!plain_ && !secure_) {
    if (auto failed = connect()) {
      return RoundTripError{*failed, false, false};
    }
  }
  used_ = true;
  return secure_ ? writeAndReadHeader(*secure_, request) : writeAndReadHeader(*plain_, request);
}

template <class Stream>
bool BeastConnection::readBody(Stream& stream, std::string& out) {
  // Enough for most watch events in one read; a larger one takes several.
  constexpr std::size_t kPiece = 64 * 1024;
  const std::size_t before = out.size();
  out.resize(before + kPiece);
  auto& body = streamed_->get().body();
  body.data = out.data() + before;
  body.size = kPiece;
  beast::error_code error;
  beast::tcp_stream& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(idleTimeout_);
  http::async_read_some(stream, buffer_, *streamed_,
                        [&](const beast::error_code& e, std::size_t) { error = e; });
  run();
  out.resize(before + (kPiece - body.size));
  if (error == http::error::need_buffer) {
    error = {};  // the piece is full; the rest comes with the next read
  }
  if (error || cancelled_.load()) {
    close();
    return out.size() > before;
  }
  return true;
}

bool BeastConnection::readBodySome(std::string& out) {
  if (!streamed_ || cancelled_.load() || lowest() == nullptr || streamed_->is_done()) {
    return false;
  }
  return secure_ ? readBody(*secure_, out) : readBody(*plain_, out);
}

void BeastConnection::cancel() {
  cancelled_.store(true);
  // Runs on the reading thread, inside its current or next run(): the socket
  // belongs to that thread.
  net::post(io_, [this] {
    if (beast::tcp_stream* stream = lowest()) {
      stream->cancel();
    }
  });
}

}  // namespace landlord::kube
