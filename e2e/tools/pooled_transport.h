#pragma once

#include <memory>

#include "landlord/operator/client/kubeconfig.h"
#include "landlord/operator/client/transport.h"

namespace landlord::hollow {

// A Transport for request/response calls over a pool of blocking HTTP/1.1
// connections (HttpConnection), one per concurrent caller. It lets the bench
// tools run the operator's REST client without cpprestsdk's thread hand-offs,
// to tell the API server's ceiling from the client's. Watches need
// cpprestsdk's streaming: stream() throws a TransportError saying so.
std::unique_ptr<kube::Transport> makePooledHttpTransport(const kube::RestConfig& config);

}  // namespace landlord::hollow
