#pragma once

// Listening TCP sockets for landlord's own servers (metrics, health, webhooks).

#include <string>
#include <utility>

#include "landlord/operator/server/http_server.h"

namespace landlord::kube {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

// strerror(errno), for messages.
std::string errnoText();

struct ListeningSocket {
  UniqueFd fd;
  int port = 0;  // the bound port (the one the kernel chose for port 0)
};

// Binds and listens on `address` ("host:port", ":port", "[v6]:port"). ":port"
// means every interface of both families, as in Go: an IPv6-only cluster
// reaches the pod over IPv6; without IPv6 the IPv4 wildcard is used. Throws
// std::runtime_error starting with `serverName` and naming the address.
ListeningSocket listenOn(const std::string& address, const std::string& serverName, int backlog);

}  // namespace landlord::kube
