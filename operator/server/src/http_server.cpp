// EndpointServer: the acceptor, the I/O and handler threads, routing, and the
// graceful stop (see http_server.h; one connection's life is connection.cpp).
#include "landlord/operator/server/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "connection.h"
#include "http_messages.h"
#include "io_threads.h"
#include "listener.h"
#include "tls_certificate_store.h"

namespace landlord::kube {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// How long accepting pauses after it failed (descriptors ran out, say).
constexpr std::chrono::milliseconds kAcceptRetry{50};

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  }
  return out;
}

}  // namespace

std::string EndpointRequest::header(const std::string& lowercaseName) const {
  const auto it = headers.find(lowercaseName);
  return it == headers.end() ? std::string() : it->second;
}

class EndpointServer::Impl {
 public:
  Impl(EndpointServerOptions options, Logger logger)
      : options_(std::move(options)),
        logger_(logger.withValues({{"server", options_.name}, {"address", options_.bindAddress}})),
        tracker_(options_.maxConnections),
        context_{options_, logger_, tracker_,
                 [this](const EndpointRequest& request) { return dispatch(request); }},
        threads_(io_, options_.ioThreads, options_.maxIoThreads, options_.handlerStall, logger_),
        acceptor_(net::make_strand(io_)),
        retryTimer_(acceptor_.get_executor()) {}

  struct Route {
    std::string path;
    EndpointHandler handler;
    bool prefix;
    std::vector<std::string> methods;
  };

  void handle(Route route) {
    if (route.path.empty() || route.path.front() != '/') {
      throw std::invalid_argument(options_.name + " server: path \"" + route.path +
                                  "\" must start with /");
    }
    if (!route.handler) {
      throw std::invalid_argument(options_.name + " server: path " + route.path +
                                  " has no handler");
    }
    std::lock_guard lock(mutex_);
    for (const Route& existing : routes_) {
      if (existing.path == route.path) {
        throw std::invalid_argument(options_.name + " server: path " + route.path +
                                    " is registered twice");
      }
    }
    routes_.push_back(std::move(route));
  }

  void listen() {
    std::lock_guard lock(mutex_);
    if (acceptor_.is_open()) {
      return;
    }
    const std::string serverName = options_.name + " server";
    if (options_.tls && !tlsStore_) {
      try {
        tlsStore_ = std::make_unique<server::TlsCertificateStore>(
            options_.tls->certPath, options_.tls->keyPath, options_.tls->checkInterval, logger_);
      } catch (const std::exception& e) {
        throw std::runtime_error(serverName + ": " + e.what());
      }
      tls_.emplace(server::makeServerTlsContext(*tlsStore_).release());
    }
    server::listenOn(acceptor_, options_.bindAddress, serverName);
    port_ = acceptor_.local_endpoint().port();
    logger_.withValues({{"port", std::to_string(port_)}})
        .info("serving {} on port {}", options_.tls ? "HTTPS" : "HTTP", port_);
  }

  int port() const {
    std::lock_guard lock(mutex_);
    return port_;
  }

  void run(std::stop_token stop) {
    listen();
    auto work = net::make_work_guard(io_);
    net::dispatch(acceptor_.get_executor(), [this] { accept(); });
    threads_.start();

    std::mutex waitMutex;
    std::condition_variable_any stopped;
    std::unique_lock waitLock(waitMutex);
    stopped.wait(waitLock, stop, [] { return false; });

    shutDown();
    work.reset();
    threads_.stop();
    logger_.info("stopped");
  }

  std::string name() const { return options_.name; }

 private:
  // Stops accepting, closes idle connections, lets requests in flight be
  // answered, and closes whatever is left after shutdownTimeout.
  void shutDown() {
    stopping_ = true;
    context_.stopping = true;
    net::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      retryTimer_.cancel();
    });
    for (const auto& connection : tracker_.all()) {
      connection->stop();
    }
    if (tracker_.waitUntilEmpty(options_.shutdownTimeout)) {
      return;
    }
    logger_.warn("closing {} connections still busy after {} ms", tracker_.size(),
                 options_.shutdownTimeout.count());
    for (const auto& connection : tracker_.all()) {
      connection->abort();
    }
    tracker_.waitUntilEmpty(std::chrono::seconds(1));
  }

  void accept() {
    acceptor_.async_accept(net::make_strand(io_),
                           [this](const boost::system::error_code& error, tcp::socket socket) {
                             onAccept(error, std::move(socket));
                           });
  }

  void onAccept(const boost::system::error_code& error, tcp::socket socket) {
    if (error == net::error::operation_aborted || !acceptor_.is_open()) {
      return;
    }
    if (error) {
      // Out of descriptors, typically: the oldest idle connection makes room.
      if (error == net::error::no_descriptors || error.value() == ENFILE) {
        if (const auto victim = tracker_.longestWaiting()) {
          victim->evict();
        }
      }
      const auto now = std::chrono::steady_clock::now();
      if (now - lastAcceptError_ > std::chrono::seconds(10)) {
        lastAcceptError_ = now;
        logger_.warn("cannot accept connections: {} ({} open)", error.message(), tracker_.size());
      }
      retryTimer_.expires_after(kAcceptRetry);
      retryTimer_.async_wait([this](const boost::system::error_code& waited) {
        if (!waited) {
          accept();
        }
      });
      return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const std::shared_ptr<server::ConnectionBase> connection =
        tls_ ? server::makeTlsConnection(std::move(socket), *tls_, context_)
             : server::makePlainConnection(std::move(socket), context_);
    if (const auto victim = tracker_.add(connection)) {
      victim->evict();
    }
    connection->start();
    if (stopping_) {
      connection->stop();
    }
    accept();
  }

  EndpointResponse dispatch(const EndpointRequest& request) {
    std::optional<Route> route;
    {
      std::lock_guard lock(mutex_);
      for (const Route& candidate : routes_) {
        if (candidate.path == request.path ||
            (candidate.prefix && request.path.rfind(candidate.path + "/", 0) == 0)) {
          route = candidate;
          break;
        }
      }
    }
    if (!route) {
      return server::textResponse(404, "404 page not found");
    }
    if (std::find(route->methods.begin(), route->methods.end(), request.method) ==
        route->methods.end()) {
      EndpointResponse response = server::textResponse(
          405, "only " + joined(route->methods) + (route->methods.size() == 1 ? " is" : " are") +
                   " served on " + route->path);
      std::string allow;
      for (const std::string& method : route->methods) {
        allow += (allow.empty() ? "" : ", ") + method;
      }
      response.headers.emplace_back("Allow", allow);
      return response;
    }
    const server::IoThreads::HandlerRun run(threads_);
    try {
      return route->handler(request);
    } catch (const std::exception& e) {
      logger_.error("handler for {} failed: {}", request.path, e.what());
    } catch (...) {
      logger_.error("handler for {} failed with a non-standard exception", request.path);
    }
    return server::textResponse(500, "internal error");
  }

  const EndpointServerOptions options_;
  const Logger logger_;
  server::ConnectionTracker tracker_;

  mutable std::mutex mutex_;
  std::vector<Route> routes_;  // guarded by mutex_
  int port_ = 0;               // guarded by mutex_

  // Before the I/O context: connections (destroyed with it) refer to these.
  std::unique_ptr<server::TlsCertificateStore> tlsStore_;  // set by listen()
  std::optional<net::ssl::context> tls_;                   // set by listen()
  server::ServingContext context_;

  net::io_context io_;
  server::IoThreads threads_;                              // handlers run on them
  tcp::acceptor acceptor_;                                 // on its own strand
  net::steady_timer retryTimer_;                           // on the acceptor's strand
  std::chrono::steady_clock::time_point lastAcceptError_;  // on the acceptor's strand
  std::atomic<bool> stopping_{false};
};

namespace {

EndpointServerOptions plainServer(std::string name, std::string bindAddress) {
  EndpointServerOptions options;
  options.name = std::move(name);
  options.bindAddress = std::move(bindAddress);
  return options;
}

}  // namespace

EndpointServer::EndpointServer(std::string name, std::string bindAddress, Logger logger)
    : EndpointServer(plainServer(std::move(name), std::move(bindAddress)), std::move(logger)) {}

EndpointServer::EndpointServer(EndpointServerOptions options, Logger logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(logger))) {}

EndpointServer::~EndpointServer() = default;

void EndpointServer::handle(const std::string& path, EndpointHandler handler, bool prefix,
                            std::vector<std::string> methods) {
  impl_->handle({path, std::move(handler), prefix, std::move(methods)});
}

void EndpointServer::listen() {
  impl_->listen();
}
int EndpointServer::port() const {
  return impl_->port();
}
std::string EndpointServer::name() const {
  return impl_->name();
}
void EndpointServer::run(std::stop_token stop) {
  impl_->run(std::move(stop));
}

}  // namespace landlord::kube
