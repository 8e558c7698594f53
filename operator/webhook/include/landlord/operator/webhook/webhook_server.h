#pragma once

// The admission webhook HTTPS server: serves AdmissionReview POSTs from the
// kube-apiserver on the paths of registered webhooks, as controller-runtime's
// webhook server does, with its flags and metric names. The HTTPS serving
// itself (limits, timeouts, certificate reload, graceful stop) is the
// server library's EndpointServer.
//
// Every replica serves (the apiserver picks any endpoint of the Service), so
// it does not need leader election.

#include <prometheus/registry.h>

#include <chrono>
#include <memory>
#include <stop_token>
#include <string>

#include "landlord/operator/base/logging.h"
#include "landlord/operator/base/runnable.h"
#include "landlord/operator/webhook/admission.h"

namespace landlord::kube {

struct WebhookServerOptions {
  // "host:port", ":port" (every interface) or "[v6]:port".
  std::string bindAddress = ":9443";
  // The directory holding the serving certificate and key (PEM), as mounted
  // from a kubernetes.io/tls Secret; reloaded when they change.
  std::string certDir = "/tmp/k8s-webhook-server/serving-certs";
  std::string certName = "tls.crt";
  std::string keyName = "tls.key";
  // controller_runtime_webhook_* metrics go here; none when null.
  prometheus::Registry* registry = nullptr;

  // Connections past this close the longest-idle one to make room; there is
  // no cap on connections in the middle of a request. Each apiserver keeps
  // up to 25 idle connections per webhook client (client-go's
  // MaxIdleConnsPerHost).
  std::size_t maxConnections = 4096;
  // The TLS handshake; a request, from its first byte to its last; writing
  // its answer.
  std::chrono::milliseconds readTimeout{10'000};
  // How long a kept-alive connection may sit idle between requests. Longer
  // than Go's default IdleConnTimeout (90s), so that the apiserver is the one
  // to close idle connections and never races a request against our close.
  std::chrono::milliseconds idleTimeout{120'000};
  // How often, at most, new handshakes look at the files for a new pair.
  std::chrono::milliseconds certificateCheckInterval{1'000};
  // Threads serving connections and running the handlers. A handler may
  // wait on the API server (for what the caches lack): when every thread has
  // been in one for 20 ms, another joins, up to maxThreads.
  int threads = 1;
  int maxThreads = 8;
};

class WebhookServer final : public Runnable {
 public:
  WebhookServer(WebhookServerOptions options, Logger logger);
  ~WebhookServer() override;
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // Serves `webhook.path` exactly. Register before run(). Throws
  // std::invalid_argument for a path registered twice or not starting with "/".
  void handle(AdmissionWebhook webhook);

  // Loads the certificate and key and binds now, so that a bad address or a
  // missing, unreadable or mismatched pair fails at startup. Throws
  // std::runtime_error naming the address or the file and the reason.
  void listen();
  // The bound port (after listen()).
  int port() const;

  std::string name() const override { return "webhook"; }
  bool needsLeaderElection() const override { return false; }
  // Serves until stop; then answers the requests in flight and closes every
  // connection, idle kept-alive ones included. Calls listen() if not yet
  // listening.
  void run(std::stop_token stop) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace landlord::kube
