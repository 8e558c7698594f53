#pragma once

// Between Beast's HTTP messages and the server's EndpointRequest and
// EndpointResponse: the parser's limits, which read errors are answered with
// which status, and the request as handlers see it. Private to the server
// library (and its fuzz target).

#include <boost/beast/http.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "landlord/operator/server/http_server.h"

namespace landlord::kube::server {

namespace http = boost::beast::http;

using RequestParser = http::request_parser<http::string_body>;
using Response = http::response<http::string_body>;

struct RequestLimits {
  std::size_t maxHeaderBytes;
  std::size_t maxBodyBytes;
};

// A parser for one request, with the limits set.
void limitParser(RequestParser& parser, const RequestLimits& limits);

// A request the server refuses, and why.
struct Refusal {
  int status;  // 400, 413 or 431
  std::string reason;
};

// What reading a request failed on: a refusal to answer with, or nothing
// when the connection itself ended (closed, reset, timed out) and nobody is
// left to answer.
std::optional<Refusal> refusalFor(const boost::system::error_code& error);

// The request as handlers see it. A target that is not a path, or a query
// that does not percent-decode, is a Refusal (400).
std::variant<EndpointRequest, Refusal> toEndpointRequest(
    http::request<http::string_body>&& message, std::chrono::steady_clock::time_point received);

// The HTTP answer; HEAD gets the headers of the answer without its body.
Response toHttpResponse(const EndpointResponse& response, bool head, bool keepAlive,
                        unsigned version);

// A plain-text answer: `text` and a newline.
EndpointResponse textResponse(int status, std::string text);

// Reads one request from `bytes` as a connection would, fed in pieces of
// `chunk` bytes, with the same limits and checks. For the fuzz target and
// tests; nullopt when the bytes end before the request does.
std::optional<std::variant<EndpointRequest, Refusal>> parseRequest(std::string_view bytes,
                                                                   const RequestLimits& limits,
                                                                   std::size_t chunk);

}  // namespace landlord::kube::server
