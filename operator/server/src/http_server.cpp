#include "landlord/operator/server/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "landlord/operator/server/http_status.h"
#include "landlord/operator/server/listen_socket.h"

namespace landlord::kube {

namespace {

constexpr std::size_t kMaxRequestHeaderBytes = 16 * 1024;
constexpr int kClientTimeoutSeconds = 5;

std::string percentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const std::string hex(text.substr(i + 1, 2));
      char* end = nullptr;
      const long value = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        out += static_cast<char>(value);
        i += 2;
        continue;
      }
    }
    out += text[i] == '+' ? ' ' : text[i];
  }
  return out;
}

std::map<std::string, std::string> parseQuery(std::string_view query) {
  std::map<std::string, std::string> params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    params[percentDecode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : percentDecode(pair.substr(eq + 1));
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  return params;
}

void writeAll(int fd, const std::string& data) {
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::send(fd, data.data() + written, data.size() - written, MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) {
        continue;
      }
      return;  // the client went away; nothing to report to it
    }
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace

BindAddress parseBindAddress(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("bind address \"" + address + "\" must be host:port or :port");
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string portText = address.substr(colon + 1);
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(portText, &used);
    if (used != portText.size()) {
      port = -1;
    }
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    throw std::invalid_argument("bind address \"" + address + "\" has an invalid port");
  }
  return BindAddress{host, port};
}

class EndpointServer::Impl {
 public:
  Impl(std::string name, std::string bindAddress, Logger logger)
      : name_(std::move(name)),
        bindAddress_(std::move(bindAddress)),
        logger_(logger.withValues({{"server", name_}, {"address", bindAddress_}})) {}

  struct Route {
    std::string path;
    EndpointHandler handler;
    bool prefix;
  };

  void listen() {
    std::lock_guard lock(mutex_);
    if (listener_.valid()) {
      return;
    }
    ListeningSocket socket = listenOn(bindAddress_, name_ + " server", 64);
    listener_ = std::move(socket.fd);
    port_ = socket.port;
    logger_.info("listening on port {}", port_);
  }

  void run(std::stop_token stop) {
    listen();
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC | O_NONBLOCK) != 0) {
      throw std::runtime_error(name_ + " server: cannot create wake-up pipe: " + errnoText());
    }
    const UniqueFd wakeRead(pipeFds[0]);
    const UniqueFd wakeWrite(pipeFds[1]);
    std::stop_callback onStop(stop, [&wakeWrite] {
      const char byte = 0;
      [[maybe_unused]] const ssize_t n = ::write(wakeWrite.get(), &byte, 1);
    });
    while (!stop.stop_requested()) {
      pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {wakeRead.get(), POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw std::runtime_error(name_ + " server: poll failed: " + errnoText());
      }
      if ((fds[1].revents & POLLIN) != 0) {
        break;
      }
      if ((fds[0].revents & POLLIN) != 0) {
        UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (client.valid()) {
          serve(client.get());
        }
      }
    }
    std::lock_guard lock(mutex_);
    listener_.reset();
    logger_.info("stopped");
  }

  void serve(int fd) {
    timeval timeout{kClientTimeoutSeconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      if (request.size() > kMaxRequestHeaderBytes) {
        writeAll(fd, render(EndpointResponse{400, "text/plain; charset=utf-8",
                                             "request header too large\n"},
                            false));
        return;
      }
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) {
          continue;
        }
        return;  // closed or timed out before a full request
      }
      request.append(buffer, static_cast<std::size_t>(n));
    }
    const std::string requestLine = request.substr(0, request.find("\r\n"));
    const std::size_t firstSpace = requestLine.find(' ');
    const std::size_t secondSpace = requestLine.find(' ', firstSpace + 1);
    if (firstSpace == std::string::npos || secondSpace == std::string::npos) {
      writeAll(fd, render({400, "text/plain; charset=utf-8", "malformed request line\n"}, false));
      return;
    }
    EndpointRequest parsed;
    parsed.method = requestLine.substr(0, firstSpace);
    const std::string target = requestLine.substr(firstSpace + 1, secondSpace - firstSpace - 1);
    const std::size_t question = target.find('?');
    parsed.path = target.substr(0, question);
    if (question != std::string::npos) {
      parsed.query = parseQuery(std::string_view(target).substr(question + 1));
    }
    const bool head = parsed.method == "HEAD";
    if (parsed.method != "GET" && !head) {
      writeAll(fd,
               render({405, "text/plain; charset=utf-8", "only GET and HEAD are served\n"}, false));
      return;
    }
    writeAll(fd, render(dispatch(parsed), head));
  }

  EndpointResponse dispatch(const EndpointRequest& request) {
    EndpointHandler handler;
    {
      std::lock_guard lock(mutex_);
      for (const Route& candidate : routes_) {
        const bool exact = candidate.path == request.path;
        const bool below = candidate.prefix && request.path.rfind(candidate.path + "/", 0) == 0;
        if (exact || below) {
          handler = candidate.handler;
          break;
        }
      }
    }
    if (!handler) {
      return {404, "text/plain; charset=utf-8", "404 page not found\n"};
    }
    try {
      return handler(request);
    } catch (const std::exception& e) {
      logger_.error("handler for {} failed: {}", request.path, e.what());
      return {500, "text/plain; charset=utf-8", "internal error\n"};
    }
  }

  static std::string render(const EndpointResponse& response, bool head) {
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                      reasonPhrase(response.status) + "\r\n";
    out += "Content-Type: " + response.contentType + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    out += "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
    if (!head) {
      out += response.body;
    }
    return out;
  }

  const std::string name_;
  const std::string bindAddress_;
  const Logger logger_;
  mutable std::mutex mutex_;
  std::vector<Route> routes_;  // guarded by mutex_
  UniqueFd listener_;          // guarded by mutex_
  int port_ = 0;               // guarded by mutex_
};

EndpointServer::EndpointServer(std::string name, std::string bindAddress, Logger logger)
    : impl_(std::make_unique<Impl>(std::move(name), std::move(bindAddress), std::move(logger))) {}
EndpointServer::~EndpointServer() = default;

void EndpointServer::handle(const std::string& path, EndpointHandler handler, bool prefix) {
  std::lock_guard lock(impl_->mutex_);
  impl_->routes_.push_back({path, std::move(handler), prefix});
}

void EndpointServer::listen() {
  impl_->listen();
}
int EndpointServer::port() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->port_;
}
std::string EndpointServer::name() const {
  return impl_->name_;
}
void EndpointServer::run(std::stop_token stop) {
  impl_->run(std::move(stop));
}

}  // namespace landlord::kube
