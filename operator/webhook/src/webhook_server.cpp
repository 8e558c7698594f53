// The webhook server: admission reviews and their metrics on an HTTPS
// EndpointServer (see webhook_server.h).
#include "landlord/operator/webhook/webhook_server.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "landlord/operator/server/http_server.h"

namespace landlord::kube {

namespace {

using Clock = std::chrono::steady_clock;

// The apiserver caps AdmissionReview bodies well below this; controller-runtime
// refuses more than 7 MiB. Anything larger is not a review worth reading.
constexpr std::size_t kMaxBodyBytes = 10 * 1024 * 1024;
constexpr std::size_t kMaxHeaderBytes = 16 * 1024;

bool isJson(const std::string& contentType) {
  std::string mediaType = contentType.substr(0, contentType.find(';'));
  mediaType.erase(std::remove_if(mediaType.begin(), mediaType.end(),
                                 [](unsigned char c) { return c == ' ' || c == '\t'; }),
                  mediaType.end());
  std::transform(mediaType.begin(), mediaType.end(), mediaType.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return mediaType == "application/json";
}

EndpointResponse textResponse(int status, std::string body) {
  EndpointResponse response;
  response.status = status;
  response.body = std::move(body) + "\n";
  return response;
}

// controller-runtime's webhook metrics for one path, under its names and
// help texts.
class PathMetrics {
 public:
  PathMetrics(prometheus::Registry& registry, const std::string& path)
      : path_(path),
        requests_(prometheus::BuildCounter()
                      .Name("controller_runtime_webhook_requests_total")
                      .Help("Total number of admission requests by HTTP status code.")
                      .Register(registry)),
        inFlight_(prometheus::BuildGauge()
                      .Name("controller_runtime_webhook_requests_in_flight")
                      .Help("Current number of admission requests being served.")
                      .Register(registry)
                      .Add({{"webhook", path}})),
        latency_(
            prometheus::BuildHistogram()
                .Name("controller_runtime_webhook_latency_seconds")
                .Help("Histogram of the latency of processing admission requests")
                .Register(registry)
                // prometheus.DefBuckets, as controller-runtime uses.
                .Add({{"webhook", path}}, prometheus::Histogram::BucketBoundaries{
                                              .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10})) {}

  void started() { inFlight_.Increment(); }
  // Before the answer is written: once a client has it, the counts include it.
  void finished(int status, Clock::time_point received) {
    latency_.Observe(std::chrono::duration<double>(Clock::now() - received).count());
    requests_.Add({{"webhook", path_}, {"code", std::to_string(status)}}).Increment();
    inFlight_.Decrement();
  }

 private:
  const std::string path_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Gauge& inFlight_;
  prometheus::Histogram& latency_;
};

}  // namespace

class WebhookServer::Impl {
 public:
  Impl(WebhookServerOptions options, Logger logger)
      : options_(std::move(options)),
        logger_(logger.withValues({{"server", "webhook"}, {"address", options_.bindAddress}})),
        server_(serverOptions(options_), std::move(logger)) {}

  static EndpointServerOptions serverOptions(const WebhookServerOptions& options) {
    EndpointServerOptions out;
    out.name = "webhook";
    out.bindAddress = options.bindAddress;
    out.tls = TlsFiles{options.certDir + "/" + options.certName,
                       options.certDir + "/" + options.keyName, options.certificateCheckInterval};
    out.maxHeaderBytes = kMaxHeaderBytes;
    out.maxBodyBytes = kMaxBodyBytes;
    out.requestTimeout = options.readTimeout;
    out.idleTimeout = options.idleTimeout;
    out.shutdownTimeout = options.readTimeout;
    out.maxConnections = std::max<std::size_t>(1, options.maxConnections);
    out.ioThreads = options.threads;
    out.maxIoThreads = options.maxThreads;
    return out;
  }

  void handle(AdmissionWebhook webhook) {
    if (!webhook.handler) {
      throw std::invalid_argument("webhook " + webhook.path + " has no handler");
    }
    std::shared_ptr<PathMetrics> metrics;
    if (options_.registry != nullptr) {
      metrics = std::make_shared<PathMetrics>(*options_.registry, webhook.path);
    }
    server_.handle(webhook.path,
                   [this, path = webhook.path, handler = std::move(webhook.handler),
                    metrics](const EndpointRequest& request) {
                     if (metrics) {
                       metrics->started();
                     }
                     const EndpointResponse response = admit(request, path, handler);
                     if (metrics) {
                       metrics->finished(response.status, request.received);
                     }
                     return response;
                   },
                   false, {"POST"});
  }

  EndpointResponse admit(const EndpointRequest& request, const std::string& path,
                         const AdmissionHandler& handler) const {
    if (const std::string contentType = request.header("content-type"); !isJson(contentType)) {
      return textResponse(415, "Content-Type " + (contentType.empty() ? "(none)" : contentType) +
                                   ", expected application/json");
    }
    AdmissionRequest review;
    try {
      review = parseAdmissionReview(request.body);
    } catch (const AdmissionReviewError& e) {
      logger_.error("webhook {}: malformed AdmissionReview: {}", path, e.what());
      return textResponse(400, e.what());
    }
    EndpointResponse response;
    response.contentType = "application/json";
    try {
      response.body = renderAdmissionReview(review, handler(review));
    } catch (const std::exception& e) {
      logger_.error("webhook {} failed on request {}: {}", path, review.uid, e.what());
      response.body = renderAdmissionReview(
          review, AdmissionResponse::deny(path + ": " + e.what(), 500, "InternalError"));
    } catch (...) {
      logger_.error("webhook {} failed on request {} with a non-standard exception", path,
                    review.uid);
      response.body = renderAdmissionReview(
          review, AdmissionResponse::deny(path + ": unknown error", 500, "InternalError"));
    }
    logger_.debug("webhook {} answered request {} ({} {}/{})", path, review.uid, review.operation,
                  review.namespace_, review.name);
    return response;
  }

  const WebhookServerOptions options_;
  const Logger logger_;
  EndpointServer server_;
};

WebhookServer::WebhookServer(WebhookServerOptions options, Logger logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(logger))) {}
WebhookServer::~WebhookServer() = default;

void WebhookServer::handle(AdmissionWebhook webhook) {
  impl_->handle(std::move(webhook));
}
void WebhookServer::listen() {
  impl_->server_.listen();
}
int WebhookServer::port() const {
  return impl_->server_.port();
}
void WebhookServer::run(std::stop_token stop) {
  impl_->server_.run(std::move(stop));
}

}  // namespace landlord::kube
