#include "pooled_transport.h"

#include <mutex>
#include <vector>

#include "http_connection.h"
#include "landlord/operator/base/errors.h"
#include "landlord/operator/client/tls_material.h"

namespace landlord::hollow {

namespace {

class PooledHttpTransport final : public kube::Transport {
 public:
  explicit PooledHttpTransport(const kube::RestConfig& config)
      : config_(config), tls_(kube::validatedTlsMaterial(config)) {}

  kube::HttpResponse send(const kube::HttpRequest& request) override {
    std::unique_ptr<HttpConnection> connection = checkOut();
    kube::HttpResponse response = connection->send(request);
    checkIn(std::move(connection));  // a failed send throws and drops it
    return response;
  }

  std::unique_ptr<kube::ResponseStream> stream(const kube::HttpRequest& request,
                                               std::chrono::milliseconds) override {
    throw kube::TransportError(kube::RequestContext{config_.server, request.method, request.path},
                               "the pooled HTTP/1.1 transport serves no streams (watches)");
  }

  std::string server() const override { return config_.server; }

 private:
  std::unique_ptr<HttpConnection> checkOut() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<HttpConnection> connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
    }
    return std::make_unique<HttpConnection>(config_, tls_);
  }

  void checkIn(std::unique_ptr<HttpConnection> connection) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }

  const kube::RestConfig config_;
  const std::shared_ptr<const kube::TlsMaterial> tls_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<HttpConnection>> idle_;  // guarded by mutex_
};

}  // namespace

std::unique_ptr<kube::Transport> makePooledHttpTransport(const kube::RestConfig& config) {
  return std::make_unique<PooledHttpTransport>(config);
}

}  // namespace landlord::hollow
