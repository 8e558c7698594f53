#pragma once

#include <memory>
#include <string>
#include <vector>

#include "landlord/operator/base/openssl.h"
#include "landlord/operator/client/kubeconfig.h"

namespace landlord::kube {

struct ServerAddress {
  std::string host;  // without IPv6 brackets
  std::string port;
  bool https = true;
  std::string pathPrefix;  // "" or "/prefix" (a proxy's path to the API server), no trailing '/'
};

// "https://[::1]:6443/prefix/" -> {"::1", "6443", true, "/prefix"}.
ServerAddress parseServer(const std::string& server);

// "host:port", with brackets around an IPv6 host.
std::string hostPort(const ServerAddress& address);

// Makes the handshake verify the server's certificate for `name`, an IP address
// or a DNS name (a DNS name is also sent as SNI).
void verifyServerName(SSL* ssl, const std::string& name);

// The configured trust and identity, decoded once per transport and installed
// into its context: decoding PEM per connection (OpenSSL 3's decoders take
// process-wide locks) made many concurrent connections slower than a few.
struct TlsMaterial {
  X509StorePtr trust;  // only the configured CA, never the system store
  std::vector<X509Ptr> clientChain;
  PkeyPtr clientKey;

  explicit TlsMaterial(const RestConfig& config);

  // Installs it into one connection's context (all shared by reference count),
  // with TLS 1.2 as the minimum.
  void install(SSL_CTX* ctx) const;
};

// Checks the PEM material first, so a bad kubeconfig fails at start with a
// clear ConfigError rather than as an obscure handshake error on first use.
std::shared_ptr<const TlsMaterial> validatedTlsMaterial(const RestConfig& config);

}  // namespace landlord::kube
