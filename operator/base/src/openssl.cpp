// OpenSSL ownership helpers and PEM decoding (see openssl.h).
#include "landlord/operator/base/openssl.h"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace landlord::kube {

std::string openSslErrors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text += (text.empty() ? "" : "; ") + std::string(buffer);
  }
  return text;
}

BioPtr memoryBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::vector<X509Ptr> parseCertificates(const std::string& pem) {
  std::vector<X509Ptr> certs;
  const BioPtr bio = memoryBio(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  ERR_clear_error();  // the loop ends on a "no start line" error
  return certs;
}

PkeyPtr parsePrivateKey(const std::string& pem) {
  ERR_clear_error();
  const BioPtr bio = memoryBio(pem);
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

}  // namespace landlord::kube
