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

namespace landlord::kube {

namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Drains this thread's OpenSSL error queue into one line.
std::string openSslErrors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    text += text.empty() ? "" : "; ";
    text += buffer;
  }
  return text.empty() ? "unknown OpenSSL error" : text;
}

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

BioPtr memoryBio(const std::string& data) {
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!bio) {
    throw std::runtime_error("cannot allocate an OpenSSL BIO: " + openSslErrors());
  }
  return bio;
}

// The leaf certificate first, then any intermediates, as in a kubernetes.io/tls Secret.
std::vector<X509Ptr> parseCertificateChain(const std::string& pem, const std::string& path) {
  ERR_clear_error();
  const BioPtr bio = memoryBio(pem);
  std::vector<X509Ptr> chain;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    chain.emplace_back(cert);
  }
  // Reading past the last certificate leaves "no start line" on the queue.
  const unsigned long last = ERR_peek_last_error();
  if (chain.empty() || ERR_GET_REASON(last) != PEM_R_NO_START_LINE) {
    throw std::runtime_error(
        "cannot parse certificate " + path + ": " +
        (chain.empty() ? "no PEM certificate found (" + openSslErrors() + ")" : openSslErrors()));
  }
  ERR_clear_error();
  return chain;
}

PkeyPtr parsePrivateKey(const std::string& pem, const std::string& path) {
  ERR_clear_error();
  const BioPtr bio = memoryBio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    throw std::runtime_error("cannot parse private key " + path + ": " + openSslErrors());
  }
  return key;
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

std::optional<FileStamp> stampFile(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {  // stat, not lstat: follow the ..data symlink
    return std::nullopt;
  }
  return FileStamp{info.st_dev, info.st_ino, info.st_size, info.st_mtim};
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
  context_ = load();
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

SslCtxPtr TlsCertificateStore::load() const {
  const std::vector<X509Ptr> chain =
      parseCertificateChain(readFile(certPath_, "certificate"), certPath_);
  const PkeyPtr key = parsePrivateKey(readFile(keyPath_, "private key"), keyPath_);
  ERR_clear_error();
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    throw std::runtime_error("private key " + keyPath_ + " does not match certificate " +
                             certPath_ + ": " + openSslErrors());
  }

  SslCtxPtr context(SSL_CTX_new(TLS_server_method()));
  if (!context) {
    throw std::runtime_error("cannot create a TLS server context: " + openSslErrors());
  }
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(context.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // The server retries a partial non-blocking write from a string that may move.
  SSL_CTX_set_mode(context.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_alpn_select_cb(context.get(), selectHttp11, nullptr);
  if (SSL_CTX_use_certificate(context.get(), chain.front().get()) != 1) {
    throw std::runtime_error("cannot use certificate " + certPath_ + ": " + openSslErrors());
  }
  for (std::size_t i = 1; i < chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(context.get(), chain[i].get()) != 1) {
      throw std::runtime_error("cannot use intermediate certificate " + std::to_string(i) + " of " +
                               certPath_ + ": " + openSslErrors());
    }
  }
  if (SSL_CTX_use_PrivateKey(context.get(), key.get()) != 1 ||
      SSL_CTX_check_private_key(context.get()) != 1) {
    throw std::runtime_error("cannot use private key " + keyPath_ + ": " + openSslErrors());
  }
  return context;
}

std::shared_ptr<SSL_CTX> TlsCertificateStore::current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - lastCheck_ < checkInterval_) {
    return context_;
  }
  lastCheck_ = now;
  const std::optional<Stamps> stamps = stampFiles();
  // A missing file is usually the moment between two symlink swaps: keep serving.
  if (!stamps || *stamps == loadedStamps_ || stamps == failedStamps_) {
    return context_;
  }
  try {
    context_ = load();
    loadedStamps_ = *stamps;
    failedStamps_.reset();
    logger_.info("reloaded certificate {} and key {}", certPath_, keyPath_);
  } catch (const std::exception& e) {
    failedStamps_ = stamps;
    logger_.error("keeping the previous certificate: {}", e.what());
  }
  return context_;
}

}  // namespace landlord::kube
