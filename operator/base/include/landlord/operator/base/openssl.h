#pragma once

// Ownership of OpenSSL objects and PEM decoding, shared by the API client's
// TLS and the HTTPS servers (kept here so both depend only downward).

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

// The thread's queued OpenSSL errors as one line (and clears them); empty
// when none is queued.
std::string openSslErrors();

// A read-only BIO over `data`, which must outlive it.
BioPtr memoryBio(std::string_view data);

// Every PEM certificate in the text, in order (none when there is none).
std::vector<X509Ptr> parseCertificates(const std::string& pem);

// The PEM private key in the text, or null (the reason is on the error queue).
PkeyPtr parsePrivateKey(const std::string& pem);

}  // namespace landlord::kube
