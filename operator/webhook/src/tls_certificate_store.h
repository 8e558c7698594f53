#pragma once

// The webhook server's certificate and key, reloaded when the files change.
// Private to operator/ because it exposes OpenSSL types.
//
// Kubernetes updates a mounted Secret by writing the new files into a fresh
// directory and swapping the `..data` symlink, and cert-manager may write the
// two files a moment apart; so each new handshake asks for the current
// context, the files are stat()ed (through symlinks) at most once per
// interval, and a pair that does not load or does not match keeps the
// previous one serving.

#include <openssl/ssl.h>
#include <sys/types.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "landlord/operator/base/logging.h"

namespace landlord::kube {

struct SslCtxDeleter {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

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

  // The context for a new connection: the newest pair that loaded. SSL_new()
  // takes its own reference, so callers may drop this after SSL_new().
  std::shared_ptr<SSL_CTX> current();

 private:
  struct Stamps {
    FileStamp cert;
    FileStamp key;
    bool operator==(const Stamps& other) const = default;
  };

  std::optional<Stamps> stampFiles() const;
  // A server context for the files as they are now; throws std::runtime_error.
  SslCtxPtr load() const;

  const std::string certPath_;
  const std::string keyPath_;
  const std::chrono::milliseconds checkInterval_;
  const Logger logger_;

  std::mutex mutex_;
  std::shared_ptr<SSL_CTX> context_;                 // guarded by mutex_
  Stamps loadedStamps_;                              // guarded by mutex_
  std::optional<Stamps> failedStamps_;               // guarded by mutex_; logged once
  std::chrono::steady_clock::time_point lastCheck_;  // guarded by mutex_
};

}  // namespace landlord::kube
