#include "landlord/operator/client/tls_material.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "landlord/operator/base/errors.h"

namespace landlord::kube {
namespace {

// Checks the PEM material up front so a bad kubeconfig fails at start with a
// clear message rather than as an obscure handshake error on first use.
void validateTlsMaterial(const RestConfig& config) {
  if (!config.caPem.empty() && parseCertificates(config.caPem).empty()) {
    throw ConfigError("certificate-authority " + config.caFile +
                      " holds no PEM certificate (server " + config.server + ")");
  }
  if (!config.clientCertPem.empty()) {
    if (parseCertificates(config.clientCertPem).empty()) {
      throw ConfigError("client-certificate " + config.clientCertFile +
                        " holds no PEM certificate");
    }
    if (!parsePrivateKey(config.clientKeyPem)) {
      throw ConfigError("client-key for " + config.clientCertFile +
                        " is not a PEM private key: " + openSslErrors());
    }
  }
}

}  // namespace

ServerAddress parseServer(const std::string& server) {
  ServerAddress address;
  std::string rest = server;
  if (rest.rfind("https://", 0) == 0) {
    rest = rest.substr(8);
  } else if (rest.rfind("http://", 0) == 0) {
    rest = rest.substr(7);
    address.https = false;
  }
  if (const std::size_t slash = rest.find('/'); slash != std::string::npos) {
    address.pathPrefix = rest.substr(slash);
    while (!address.pathPrefix.empty() && address.pathPrefix.back() == '/') {
      address.pathPrefix.pop_back();
    }
    rest = rest.substr(0, slash);
  }
  std::size_t colon = rest.rfind(':');
  std::size_t bracket = rest.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    address.host = rest.substr(0, colon);
    address.port = rest.substr(colon + 1);
  } else {
    address.host = rest;
    address.port = address.https ? "443" : "80";
  }
  if (address.host.size() > 1 && address.host.front() == '[') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  return address;
}

std::string hostPort(const ServerAddress& address) {
  const bool ipv6 = address.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address.host + "]" : address.host) + ":" + address.port;
}

void verifyServerName(SSL* ssl, const std::string& name) {
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) != 1) {
    ERR_clear_error();
    X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    SSL_set_tlsext_host_name(ssl, name.c_str());
  }
}

TlsMaterial::TlsMaterial(const RestConfig& config) {
  if (!config.caPem.empty()) {
    trust.reset(X509_STORE_new());
    for (const X509Ptr& cert : parseCertificates(config.caPem)) {
      X509_STORE_add_cert(trust.get(), cert.get());
    }
  }
  if (!config.clientCertPem.empty()) {
    clientChain = parseCertificates(config.clientCertPem);
    clientKey = parsePrivateKey(config.clientKeyPem);
  }
}

void TlsMaterial::install(SSL_CTX* ctx) const {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (trust) {
    SSL_CTX_set1_cert_store(ctx, trust.get());
  }
  if (!clientChain.empty() && clientKey) {
    SSL_CTX_use_certificate(ctx, clientChain.front().get());
    for (std::size_t i = 1; i < clientChain.size(); ++i) {
      SSL_CTX_add1_chain_cert(ctx, clientChain[i].get());
    }
    SSL_CTX_use_PrivateKey(ctx, clientKey.get());
  }
}

std::shared_ptr<const TlsMaterial> validatedTlsMaterial(const RestConfig& config) {
  if (parseServer(config.server).https) {
    validateTlsMaterial(config);
  }
  return std::make_shared<const TlsMaterial>(config);
}

}  // namespace landlord::kube
