#include "landlord/operator/server/listen_socket.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

namespace landlord::kube {

void UniqueFd::reset() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

std::string errnoText() {
  return std::strerror(errno);
}

ListeningSocket listenOn(const std::string& bindAddress, const std::string& serverName,
                         int backlog) {
  BindAddress address;
  try {
    address = parseBindAddress(bindAddress);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(serverName + ": " + e.what());
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int rc = ::getaddrinfo(address.host.empty() ? nullptr : address.host.c_str(),
                                   port.c_str(), &hints, &found);
      rc != 0) {
    throw std::runtime_error(serverName + ": cannot resolve bind address " + bindAddress + ": " +
                             ::gai_strerror(rc));
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  std::vector<const addrinfo*> candidates;
  for (const addrinfo* ai = addresses.get(); ai != nullptr; ai = ai->ai_next) {
    candidates.push_back(ai);
  }
  const bool everyInterface = address.host.empty();
  if (everyInterface) {
    // A dual-stack [::] socket first; the IPv4 wildcard when there is no IPv6.
    std::stable_partition(candidates.begin(), candidates.end(),
                          [](const addrinfo* ai) { return ai->ai_family == AF_INET6; });
  }
  std::string lastError = "no usable address";
  for (const addrinfo* ai : candidates) {
    UniqueFd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (!fd.valid()) {
      lastError = errnoText();
      continue;
    }
    const int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (everyInterface && ai->ai_family == AF_INET6) {
      const int dualStack = 0;
      ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &dualStack, sizeof(dualStack));
    }
    if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd.get(), backlog) != 0) {
      lastError = errnoText();
      continue;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof(bound);
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &length);
    const int boundPort = bound.ss_family == AF_INET6
                              ? ntohs(reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port)
                              : ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
    return ListeningSocket{std::move(fd), boundPort};
  }
  throw std::runtime_error(serverName + ": cannot listen on " + bindAddress + ": " + lastError);
}

}  // namespace landlord::kube
