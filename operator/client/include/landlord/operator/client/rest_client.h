#pragma once

#include <memory>
#include <string>

#include "landlord/operator/client/client.h"
#include "landlord/operator/client/kubeconfig.h"
#include "landlord/operator/client/transport.h"

namespace landlord::kube {

struct RestClientOptions {
  // Per-request hook for metrics; may be null. Not owned; must outlive the
  // client.
  RequestObserver* observer = nullptr;
  // Client-side token bucket; qps <= 0 disables.
  double qps = 20.0;
  int burst = 30;
};

// The Client over a Transport. Builds URLs, encodes options as query
// parameters, decodes Status errors, throttles, reports each request.
std::unique_ptr<Client> makeRestClient(std::unique_ptr<Transport> transport,
                                       RestClientOptions options);

// The usual way: a REST client over HTTPS for this config (qps/burst from it).
std::unique_ptr<Client> makeClient(const RestConfig& config, RequestObserver* observer = nullptr);

// Query string ("?a=b&c=d" or "") for these options; exposed for tests.
std::string listQuery(const ListOptions& options);
std::string watchQuery(const WatchOptions& options);

}  // namespace landlord::kube
