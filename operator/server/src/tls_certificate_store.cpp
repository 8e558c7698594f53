// The reloading certificate store, and the TLS context that serves from it.
#include "tls_certificate_store.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace landlord::kube::server {

namespace {

std::string readFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + what + " " + path + ": " + std::strerror(errno));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) {
    throw std::runtime_error("cannot read " + what + " " + path + ": " + std::strerror(errno));
  }
  return contents.str();
}

std::string errorsOr(std::string_view fallback) {
  const std::string errors = openSslErrors();
  return errors.empty() ? std::string(fallback) : errors;
}

std::optional<FileStamp> stampFile(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {  // stat, not lstat: follow the ..data symlink
    return std::nullopt;
  }
  return FileStamp{info.st_dev, info.st_ino, info.st_size, info.st_mtim};
}

// Offers only HTTP/1.1, so that a Go client (the kube-apiserver) that also
// offers h2 does not switch to a protocol this server does not speak.
int selectHttp11(SSL* /*ssl*/, const unsigned char** out, unsigned char* outLength,
                 const unsigned char* offered, unsigned int offeredLength, void* /*arg*/) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outLength, kHttp11, sizeof(kHttp11), offered,
                            offeredLength) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// Runs in every handshake before the certificate is chosen: serves the
// store's current pair, so a rotated Secret takes effect on the next
// connection while open ones carry on with theirs.
int useCurrentCertificate(SSL* ssl, void* arg) {
  const std::shared_ptr<const ServingCertificate> pair =
      static_cast<TlsCertificateStore*>(arg)->current();
  // The connection takes its own references to all three.
  return SSL_use_cert_and_key(ssl, pair->leaf.get(), pair->key.get(), pair->chain.get(), 1) == 1
             ? 1
             : 0;
}

}  // namespace

bool FileStamp::operator==(const FileStamp& other) const {
  return device == other.device && inode == other.inode && size == other.size &&
         modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
}

TlsCertificateStore::TlsCertificateStore(std::string certPath, std::string keyPath,
                                         std::chrono::milliseconds checkInterval, Logger logger)
    : certPath_(std::move(certPath)),
      keyPath_(std::move(keyPath)),
      checkInterval_(checkInterval),
      logger_(std::move(logger)) {
  // Stamped before reading: a change during the read is seen at the next check.
  const std::optional<Stamps> stamps = stampFiles();
  current_ = load();
  loadedStamps_ = stamps.value_or(Stamps{});
  lastCheck_ = std::chrono::steady_clock::now();
}

std::optional<TlsCertificateStore::Stamps> TlsCertificateStore::stampFiles() const {
  const std::optional<FileStamp> cert = stampFile(certPath_);
  const std::optional<FileStamp> key = stampFile(keyPath_);
  if (!cert || !key) {
    return std::nullopt;
  }
  return Stamps{*cert, *key};
}

std::shared_ptr<const ServingCertificate> TlsCertificateStore::load() const {
  std::vector<X509Ptr> certificates = parseCertificates(readFile(certPath_, "certificate"));
  if (certificates.empty()) {
    throw std::runtime_error("cannot parse certificate " + certPath_ +
                             ": no PEM certificate found");
  }
  PkeyPtr key = parsePrivateKey(readFile(keyPath_, "private key"));
  if (!key) {
    throw std::runtime_error("cannot parse private key " + keyPath_ + ": " +
                             errorsOr("no PEM private key found"));
  }
  ERR_clear_error();
  if (X509_check_private_key(certificates.front().get(), key.get()) != 1) {
    throw std::runtime_error("private key " + keyPath_ + " does not match certificate " +
                             certPath_ + ": " + errorsOr("different public keys"));
  }
  auto pair = std::make_shared<ServingCertificate>();
  pair->chain.reset(sk_X509_new_null());
  if (!pair->chain) {
    throw std::runtime_error("cannot allocate a certificate chain: " + openSslErrors());
  }
  for (std::size_t i = 1; i < certificates.size(); ++i) {
    if (sk_X509_push(pair->chain.get(), certificates[i].get()) == 0) {
      throw std::runtime_error("cannot use intermediate certificate " + std::to_string(i) + " of " +
                               certPath_ + ": " + openSslErrors());
    }
    certificates[i].release();  // the stack owns it now
  }
  pair->leaf = std::move(certificates.front());
  pair->key = std::move(key);
  return pair;
}

std::shared_ptr<const ServingCertificate> TlsCertificateStore::current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - lastCheck_ < checkInterval_) {
    return current_;
  }
  lastCheck_ = now;
  const std::optional<Stamps> stamps = stampFiles();
  // A missing file is usually the moment between two symlink swaps: keep serving.
  if (!stamps || *stamps == loadedStamps_ || stamps == failedStamps_) {
    return current_;
  }
  try {
    current_ = load();
    loadedStamps_ = *stamps;
    failedStamps_.reset();
    logger_.info("reloaded certificate {} and key {}", certPath_, keyPath_);
  } catch (const std::exception& e) {
    failedStamps_ = stamps;
    logger_.error("keeping the previous certificate: {}", e.what());
  }
  return current_;
}

SslCtxPtr makeServerTlsContext(TlsCertificateStore& store) {
  SslCtxPtr context(SSL_CTX_new(TLS_server_method()));
  if (!context) {
    throw std::runtime_error("cannot create a TLS server context: " + openSslErrors());
  }
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(context.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                         SSL_OP_NO_COMPRESSION);
  // Idle kept-alive connections hold no read or write buffers.
  SSL_CTX_set_mode(context.get(), SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_alpn_select_cb(context.get(), selectHttp11, nullptr);
  SSL_CTX_set_cert_cb(context.get(), useCurrentCertificate, &store);
  return context;
}

}  // namespace landlord::kube::server
