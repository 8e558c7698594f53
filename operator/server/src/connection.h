#pragma once

// One accepted connection of an EndpointServer, served asynchronously on its
// own strand (plain TCP or TLS), and the tracker that knows every live one,
// so that stopping can reach them all and a crowd of idle ones can be thinned.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "landlord/operator/base/logging.h"
#include "landlord/operator/server/http_server.h"

namespace landlord::kube::server {

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  virtual void start() = 0;
  // Each posts to the connection's strand, so any thread may call them.
  // Closes it if it is still waiting for its client (a handshake or the next
  // request), as room for a newcomer.
  virtual void evict() = 0;
  // Stops it gracefully: closed now if waiting for its client, after its
  // answer if a request is in flight.
  virtual void stop() = 0;
  // Closes it now, whatever it is doing.
  virtual void abort() = 0;
};

// Every live connection, and which of them wait for their client, oldest
// first. Thread-safe.
class ConnectionTracker {
 public:
  explicit ConnectionTracker(std::size_t maxConnections) : maxConnections_(maxConnections) {}

  // Registers a new connection; when that makes too many, returns the one
  // waiting longest for its client, to evict.
  std::shared_ptr<ConnectionBase> add(const std::shared_ptr<ConnectionBase>& connection);
  // From the connection's destructor.
  void remove(const ConnectionBase* connection);
  // Waiting for its client (idle or handshaking) from now on, or not.
  void setWaiting(const ConnectionBase* connection, bool waiting);
  // The one waiting longest for its client, if any (e.g. when descriptors
  // run out).
  std::shared_ptr<ConnectionBase> longestWaiting();

  std::vector<std::shared_ptr<ConnectionBase>> all();
  std::size_t size() const;
  // True when every connection has ended within `timeout`.
  bool waitUntilEmpty(std::chrono::milliseconds timeout);

 private:
  struct Entry {
    std::weak_ptr<ConnectionBase> connection;
    std::optional<std::list<const ConnectionBase*>::iterator> waiting;
  };
  std::shared_ptr<ConnectionBase> longestWaitingLocked();

  const std::size_t maxConnections_;
  mutable std::mutex mutex_;
  std::condition_variable emptied_;                           // with mutex_
  std::unordered_map<const ConnectionBase*, Entry> entries_;  // guarded by mutex_
  std::list<const ConnectionBase*> waiting_;                  // guarded by mutex_; oldest first
};

// What every connection of one server shares; outlives them all.
struct ServingContext {
  const EndpointServerOptions& options;
  const Logger& logger;
  ConnectionTracker& tracker;
  // Answers a complete request (routes, 404, 405, handler errors), on the
  // connection's I/O thread.
  std::function<EndpointResponse(const EndpointRequest&)> dispatch;
  // Set when the server begins to stop: every answer from then on closes its
  // connection, even one whose strand is still inside a handler.
  std::atomic<bool> stopping{false};
};

// Makes a connection for an accepted socket; start() it after tracking it.
std::shared_ptr<ConnectionBase> makePlainConnection(boost::asio::ip::tcp::socket socket,
                                                    ServingContext& context);
std::shared_ptr<ConnectionBase> makeTlsConnection(boost::asio::ip::tcp::socket socket,
                                                  boost::asio::ssl::context& tls,
                                                  ServingContext& context);

}  // namespace landlord::kube::server
