#pragma once

// The HTTPS server's certificate and key, reloaded when the files change.
// Private to the server library because it exposes OpenSSL types.
//
// Kubernetes updates a mounted Secret by writing the new files into a fresh
// directory and swapping the `..data` symlink, and cert-manager may write the
// two files a moment apart; so each new handshake asks for the current pair,
// the files are stat()ed (through symlinks) at most once per interval, and a
// pair that does not load or does not match keeps the previous one serving.

#include <openssl/ssl.h>
#include <sys/types.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "landlord/operator/base/logging.h"
#include "landlord/operator/base/openssl.h"

namespace landlord::kube::server {

struct X509StackDeleter {
  void operator()(STACK_OF(X509) * chain) const { sk_X509_pop_free(chain, X509_free); }
};

// One loaded pair: the leaf, its intermediates and the private key.
struct ServingCertificate {
  X509Ptr leaf;
  std::unique_ptr<STACK_OF(X509), X509StackDeleter> chain;  // may be empty, never null
  PkeyPtr key;
};

// Identifies one version of a file without reading it.
struct FileStamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};

  bool operator==(const FileStamp& other) const;
};

class TlsCertificateStore {
 public:
  // Loads the pair now. Throws std::runtime_error naming the file and the
  // reason when either cannot be read or parsed, or when they do not match.
  TlsCertificateStore(std::string certPath, std::string keyPath,
                      std::chrono::milliseconds checkInterval, Logger logger);

  // The pair for a new handshake: the newest that loaded.
  std::shared_ptr<const ServingCertificate> current();

  const std::string& certPath() const { return certPath_; }

 private:
  struct Stamps {
    FileStamp cert;
    FileStamp key;
    bool operator==(const Stamps& other) const = default;
  };

  std::optional<Stamps> stampFiles() const;
  // The pair as the files hold it now; throws std::runtime_error.
  std::shared_ptr<const ServingCertificate> load() const;

  const std::string certPath_;
  const std::string keyPath_;
  const std::chrono::milliseconds checkInterval_;
  const Logger logger_;

  std::mutex mutex_;
  std::shared_ptr<const ServingCertificate> current_;  // guarded by mutex_
  Stamps loadedStamps_;                                // guarded by mutex_
  std::optional<Stamps> failedStamps_;                 // guarded by mutex_; logged once
  std::chrono::steady_clock::time_point lastCheck_;    // guarded by mutex_
};

// A TLS server context (TLS 1.2 or later, HTTP/1.1 by ALPN) whose every
// handshake serves `store`'s current pair. `store` must outlive it.
SslCtxPtr makeServerTlsContext(TlsCertificateStore& store);

}  // namespace landlord::kube::server
