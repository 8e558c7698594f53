#pragma once

// The admission webhook HTTPS server: serves AdmissionReview POSTs from the
// kube-apiserver on the paths of registered webhooks, as controller-runtime's
// webhook server does, with its flags and metric names.
//
// Every replica serves (the apiserver picks any endpoint of the Service), so
// it does not need leader election. The certificate and key are re-read when
// they change on disk (a rotated Secret), without a restart.

#include <chrono>
#include <memory>
#include <stop_token>
#include <string>

#include "landlord/operator/base/logging.h"
#include "landlord/operator/base/runnable.h"
#include "landlord/operator/metrics/metrics.h"
#include "landlord/operator/webhook/admission.h"

namespace landlord::kube {

struct WebhookServerOptions {
  // "host:port", ":port" (every interface) or "[v6]:port".
  std::string bindAddress = ":9443";
  // The directory holding the serving certificate and key (PEM), as mounted
  // from a kubernetes.io/tls Secret.
  std::string certDir = "/tmp/k8s-webhook-server/serving-certs";
  std::string certName = "tls.crt";
  std::string keyName = "tls.key";
  // controller_runtime_webhook_* metrics go here; none when null.
  metrics::Registry* registry = nullptr;

  // Connections served at once (a thread each); more wait in the listen
  // backlog. Each apiserver keeps up to 25 idle connections per webhook
  // client (client-go's MaxIdleConnsPerHost), so leave room for several.
  int maxConnections = 256;
  // How long a handshake, a request in progress or a response write may stall.
  std::chrono::milliseconds readTimeout{10'000};
  // How long a kept-alive connection may sit idle between requests. Longer
  // than Go's default IdleConnTimeout (90s), so that the apiserver is the one
  // to close idle connections and never races a request against our close.
  std::chrono::milliseconds idleTimeout{120'000};
  // How often, at most, new handshakes look at the files for a new pair.
  std::chrono::milliseconds certificateCheckInterval{1'000};
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
  // Serves until stop, then closes every idle connection, finishes the requests
  // that have begun to arrive (answering them with Connection: close) and joins
  // the connections' threads. Calls listen() if not yet listening.
  void run(std::stop_token stop) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace landlord::kube
