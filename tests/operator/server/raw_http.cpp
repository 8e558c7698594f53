#include "raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace landlord::kube::testing {

RawHttpClient::RawHttpClient(int port) : fd_(connectToLoopback(port)) {}

RawHttpClient::~RawHttpClient() {
  ::close(fd_);
}

bool RawHttpClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) {
        continue;
      }
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

HttpReply RawHttpClient::readReply(bool head) {
  return readHttpReply(
      inbox_,
      [this](char* buffer, std::size_t capacity) -> std::size_t {
        while (true) {
          const ssize_t n = ::recv(fd_, buffer, capacity, 0);
          if (n < 0 && errno == EINTR) {
            continue;
          }
          return n > 0 ? static_cast<std::size_t>(n) : 0;
        }
      },
      head);
}

bool RawHttpClient::closedByServer(std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd ready{fd_, POLLIN, 0};
    // At least one look, so that `within` 0 asks "closed already?".
    if (::poll(&ready, 1, static_cast<int>(std::max<long long>(0, left.count()))) > 0) {
      const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        return true;
      }
      continue;  // answer bytes: skip them
    }
    if (left.count() <= 0) {
      return false;
    }
  }
}

HttpReply httpRequest(int port, const std::string& target, const std::string& method) {
  RawHttpClient client(port);
  client.send(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  return client.readReply(method == "HEAD");
}

}  // namespace landlord::kube::testing
