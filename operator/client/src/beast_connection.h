#pragma once

// One kept-alive HTTP/1.1 connection to the API server on Boost.Beast, used by
// one caller at a time and driven on the caller's own thread: each operation runs
// its own io_context until done or until its deadline. cpprestsdk hands every
// request to a thread pool and back; on a 2-core machine those hand-offs cost
// the CPU the API server needs (the patch loop over blocking connections handed
// a pool over 1.16x faster at 10,000 nodes).

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <variant>

#include "landlord/operator/client/tls_material.h"
#include "landlord/operator/client/transport.h"

namespace landlord::kube {

// Why a round trip failed, and whether the request can have reached the server.
struct RoundTripError {
  std::string what;
  bool requestWritten = false;   // some of the request went out
  bool responseStarted = false;  // some of a response came back
};

class BeastConnection {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  // tls is null for an http:// server. serverName is what the certificate must
  // name (tls-server-name, or the host).
  BeastConnection(const ServerAddress& address, boost::asio::ssl::context* tls,
                  std::string serverName, std::chrono::milliseconds timeout);
  ~BeastConnection();
  BeastConnection(const BeastConnection&) = delete;
  BeastConnection& operator=(const BeastConnection&) = delete;

  // Connects on first use. On failure returns the error and leaves the
  // connection closed; the caller decides whether to retry.
  std::variant<HttpResponse, RoundTripError> roundTrip(const Request& request);

  // Open, and not readable: an idle kept-alive connection the server has closed
  // (or sent something unasked on) must not carry the next request.
  bool reusable();
  bool everUsed() const { return used_; }

  // A response read as it arrives (a watch): sends the request and reads the
  // response header under the request timeout, then gives the body piece by
  // piece, each read bounded by idleTimeout. Returns the status. The connection
  // then carries nothing else.
  std::variant<int, RoundTripError> startStream(const Request& request,
                                                std::chrono::milliseconds idleTimeout);
  // Appends the next piece of the body to out. False at the end of the body, on
  // a read error, after idleTimeout of silence, or once cancelled.
  bool readBodySome(std::string& out);
  // From any thread: a pending or later readBodySome() returns false.
  void cancel();

 private:
  void close();
  std::optional<std::string> connect();
  template <class Stream>
  std::variant<HttpResponse, RoundTripError> exchange(Stream& stream, const Request& request);
  template <class Stream>
  std::variant<int, RoundTripError> writeAndReadHeader(Stream& stream, const Request& request);
  template <class Stream>
  bool readBody(Stream& stream, std::string& out);
  boost::beast::tcp_stream* lowest();
  // Runs the io_context until the pending operation completes.
  void run();
  // The request timeout on the next operation (none when the timeout is 0).
  void arm(boost::beast::tcp_stream& stream);

  const ServerAddress address_;
  boost::asio::ssl::context* const tls_;
  const std::string serverName_;
  const std::chrono::milliseconds timeout_;
  boost::asio::io_context io_;
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> secure_;
  boost::beast::flat_buffer buffer_;
  bool used_ = false;
  // A streamed response's parser, from its header on.
  std::optional<boost::beast::http::response_parser<boost::beast::http::buffer_body>> streamed_;
  std::chrono::milliseconds idleTimeout_{0};
  std::atomic<bool> cancelled_{false};
};

}  // namespace landlord::kube
