#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "landlord/operator/client/kubeconfig.h"

namespace landlord::kube {

// Frees OpenSSL objects on scope exit.
template <class T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, OpenSslDeleter<SSL_CTX, SSL_CTX_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter<X509_STORE, X509_STORE_free>>;

struct ServerAddress {
  std::string host;  // without IPv6 brackets
  std::string port;
  bool https = true;
};

// "https://[::1]:6443/prefix" -> {"::1", "6443", true}.
ServerAddress parseServer(const std::string& server);

// "host:port", with brackets around an IPv6 host.
std::string hostPort(const ServerAddress& address);

// Makes the handshake verify the server's certificate for `name`, an IP address
// or a DNS name (a DNS name is also sent as SNI).
void verifyServerName(SSL* ssl, const std::string& name);

// The thread's queued OpenSSL errors as one line (and clears them).
std::string openSslErrors();

// Every PEM certificate in the text, in order.
std::vector<X509Ptr> parseCertificates(const std::string& pem);

// The configured trust and identity, decoded once per transport. cpprest makes
// an SSL_CTX per connection; decoding PEM there (OpenSSL 3's decoders take
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
