#include "http1_response.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "landlord/operator/server/http_header_text.h"

namespace landlord::hollow {

namespace {

std::size_t parseSize(std::string_view text, int base, std::string_view what) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end == text.data()) {
    throw std::runtime_error("malformed HTTP response: " + std::string(what) + " '" +
                             std::string(text) + "'");
  }
  return value;
}

}  // namespace

void Http1ResponseReader::fill() {
  char chunk[16384];
  const std::size_t got = readSome_(chunk, sizeof chunk);
  if (got == 0)
    throw std::runtime_error("connection closed before the response ended");
  buffer_.append(chunk, got);
}

std::string Http1ResponseReader::line() {
  std::size_t end;
  while ((end = buffer_.find("\r\n")) == std::string::npos)
    fill();
  std::string text = buffer_.substr(0, end);
  buffer_.erase(0, end + 2);
  return text;
}

std::string Http1ResponseReader::exactly(std::size_t n) {
  while (buffer_.size() < n)
    fill();
  std::string text = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return text;
}

std::string Http1ResponseReader::untilClose() {
  char chunk[16384];
  while (const std::size_t got = readSome_(chunk, sizeof chunk))
    buffer_.append(chunk, got);
  return std::exchange(buffer_, {});
}

Http1Response Http1ResponseReader::read() {
  Http1Response out;
  const std::string status = line();
  // "HTTP/1.1 201 Created"
  if (!status.starts_with("HTTP/1.") || status.size() < 12 || status[8] != ' ') {
    throw std::runtime_error("malformed HTTP status line '" + status.substr(0, 80) + "'");
  }
  out.response.status =
      static_cast<int>(parseSize(std::string_view(status).substr(9, 3), 10, "status code"));
  out.keepAlive = status.starts_with("HTTP/1.1");

  std::optional<std::size_t> contentLength;
  bool chunked = false;
  for (std::string header = line(); !header.empty(); header = line()) {
    const std::size_t colon = header.find(':');
    if (colon == std::string::npos) {
      throw std::runtime_error("malformed HTTP header '" + header.substr(0, 80) + "'");
    }
    const std::string name =
        kube::lowercase(kube::trimHeaderValue(std::string_view(header).substr(0, colon)));
    const std::string_view value =
        kube::trimHeaderValue(std::string_view(header).substr(colon + 1));
    if (name == "content-length") {
      contentLength = parseSize(value, 10, "Content-Length");
    } else if (name == "transfer-encoding") {
      chunked = kube::lowercase(value).find("chunked") != std::string::npos;
    } else if (name == "connection") {
      const std::string option = kube::lowercase(value);
      if (option == "close")
        out.keepAlive = false;
      if (option == "keep-alive")
        out.keepAlive = true;
    } else if (name == "retry-after") {
      int seconds = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (error == std::errc() && end == value.data() + value.size()) {
        out.response.retryAfterSeconds = seconds;
      }
    }
  }

  const bool bodiless = out.response.status == 204 || out.response.status == 304 ||
                        (out.response.status >= 100 && out.response.status < 200);
  if (bodiless)
    return out;
  if (chunked) {
    for (;;) {
      const std::string sizeLine = line();
      const std::size_t size =
          parseSize(kube::trimHeaderValue(std::string_view(sizeLine).substr(0, sizeLine.find(';'))),
                    16, "chunk size");
      if (size == 0) {
        while (!line().empty()) {  // trailers
        }
        break;
      }
      out.response.body += exactly(size);
      if (!line().empty())
        throw std::runtime_error("malformed HTTP chunk: no CRLF after data");
    }
  } else if (contentLength) {
    out.response.body = exactly(*contentLength);
  } else {
    out.response.body = untilClose();
    out.keepAlive = false;
  }
  return out;
}

}  // namespace landlord::hollow
