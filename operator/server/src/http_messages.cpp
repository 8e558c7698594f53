// Beast messages to and from EndpointRequest and EndpointResponse (see http_messages.h).
#include "http_messages.h"

#include <cpprest/base_uri.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <cctype>

namespace landlord::kube::server {

namespace {

// Beast's string_view is Boost's in 1.74.
std::string_view view(boost::beast::string_view text) {
  return {text.data(), text.size()};
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Percent-decodes one query key or value; '+' is a space, as in a form.
std::string decodeQueryPart(std::string_view text) {
  std::string raw(text);
  std::replace(raw.begin(), raw.end(), '+', ' ');
  return web::uri::decode(raw);
}

// "a=1&b&c=%20" -> {a: 1, b: "", c: " "}; throws web::uri_exception on a bad
// escape.
std::map<std::string, std::string> parseQuery(std::string_view query) {
  std::map<std::string, std::string> params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      params[decodeQueryPart(pair.substr(0, eq))] =
          eq == std::string_view::npos ? "" : decodeQueryPart(pair.substr(eq + 1));
    }
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  return params;
}

}  // namespace

void limitParser(RequestParser& parser, const RequestLimits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(limits.maxHeaderBytes));
  parser.body_limit(limits.maxBodyBytes);
}

std::optional<Refusal> refusalFor(const boost::system::error_code& error) {
  if (error == http::error::header_limit) {
    return Refusal{431, "request headers too large"};
  }
  if (error == http::error::body_limit) {
    return Refusal{413, "request body too large"};
  }
  // Every other error of the HTTP parser is a malformed request; the rest
  // (end of stream, reset, timeout, TLS) end the connection itself.
  if (error.category() == http::make_error_code(http::error::bad_method).category() &&
      error != http::error::end_of_stream && error != http::error::partial_message) {
    return Refusal{400, "malformed request: " + error.message()};
  }
  return std::nullopt;
}

std::variant<EndpointRequest, Refusal> toEndpointRequest(
    http::request<http::string_body>&& message, std::chrono::steady_clock::time_point received) {
  EndpointRequest request;
  request.method = std::string(view(message.method_string()));
  const std::string_view target = view(message.target());
  if (target.empty() || target.front() != '/') {
    return Refusal{400, "request target must be a path"};
  }
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    try {
      request.query = parseQuery(target.substr(question + 1));
    } catch (const web::uri_exception& e) {
      return Refusal{400, std::string("malformed query: ") + e.what()};
    }
  }
  for (const auto& field : message) {
    std::string& value = request.headers[lowercase(view(field.name_string()))];
    value += value.empty() ? "" : ", ";
    value += view(field.value());
  }
  request.body = std::move(message.body());
  request.received = received;
  return request;
}

Response toHttpResponse(const EndpointResponse& response, bool head, bool keepAlive,
                        unsigned version) {
  Response out{static_cast<http::status>(response.status), version};
  out.set(http::field::content_type, response.contentType);
  out.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : response.headers) {
    out.set(name, value);
  }
  out.keep_alive(keepAlive);
  if (head) {
    // The length the body would have, without the body.
    out.content_length(response.body.size());
  } else {
    out.body() = response.body;
    out.prepare_payload();
  }
  return out;
}

EndpointResponse textResponse(int status, std::string text) {
  EndpointResponse response;
  response.status = status;
  response.body = std::move(text) + "\n";
  return response;
}

std::optional<std::variant<EndpointRequest, Refusal>> parseRequest(std::string_view bytes,
                                                                   const RequestLimits& limits,
                                                                   std::size_t chunk) {
  RequestParser parser;
  limitParser(parser, limits);
  parser.eager(true);
  std::string pending;
  chunk = std::max<std::size_t>(chunk, 1);
  while (!parser.is_done()) {
    if (bytes.empty()) {
      return std::nullopt;
    }
    const std::size_t take = std::min(chunk, bytes.size());
    pending.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    boost::system::error_code error;
    // As a connection's buffer does: what the parser did not take stays.
    const std::size_t used = parser.put(boost::asio::buffer(pending), error);
    pending.erase(0, used);
    if (error == http::error::need_more) {
      continue;
    }
    if (error) {
      if (std::optional<Refusal> refusal = refusalFor(error)) {
        return *refusal;
      }
      return std::nullopt;
    }
  }
  return toEndpointRequest(parser.release(), std::chrono::steady_clock::now());
}

}  // namespace landlord::kube::server
