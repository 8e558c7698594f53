#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "landlord/operator/client/transport.h"

namespace landlord::hollow {

// Reads up to `capacity` bytes into `buffer`; returns 0 at the end of the
// stream. Throws on an I/O error.
using ReadSome = std::function<std::size_t(char* buffer, std::size_t capacity)>;

struct Http1Response {
  kube::HttpResponse response;
  bool keepAlive = true;  // false: the server closes the connection after it
};

// Reads one HTTP/1.1 response (Content-Length, chunked, or until close) from
// a byte stream, keeping bytes past its end for the next response.
class Http1ResponseReader {
 public:
  explicit Http1ResponseReader(ReadSome readSome) : readSome_(std::move(readSome)) {}

  // Throws std::runtime_error naming what is malformed or cut short.
  Http1Response read();

  // Drops buffered bytes (after the connection was replaced).
  void reset() { buffer_.clear(); }

 private:
  std::string line();                  // without CRLF
  std::string exactly(std::size_t n);  // n body bytes
  void fill();                         // at least one more byte, or throws
  std::string untilClose();

  ReadSome readSome_;
  std::string buffer_;
};

}  // namespace landlord::hollow
