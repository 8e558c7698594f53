#pragma once

// TLS helpers for tests: a throwaway CA and server certificate made with the
// OpenSSL 3 API, a temporary directory, and a blocking HTTPS/1.1 client that
// verifies the server against a given CA.

#include <openssl/ssl.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace landlord::kube::testing {

struct TestPki {
  std::string caCertificate;      // PEM, self-signed
  std::string serverCertificate;  // PEM, signed by the CA for IP 127.0.0.1 and DNS localhost
  std::string serverKey;          // PEM (P-256)
};

// A fresh CA and server pair; `caName` is the CA's common name.
TestPki makeTestPki(const std::string& caName);

// A directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes `contents` to a sibling file and renames it over `path`, so that a
// reader sees the old file or the new one, as with a Secret volume update.
void replaceFile(const std::filesystem::path& path, const std::string& contents);

struct HttpReply {
  int status = 0;
  std::string headers;  // the status line and headers
  std::string body;
};

// Reads one answer with a Content-Length body from `inbox`, refilling it with
// `readSome` (which returns 0 when the connection ends); bytes after the answer
// stay in `inbox`. Status 0 when the connection ended first. The answer to a
// HEAD request has no body, whatever its Content-Length says.
HttpReply readHttpReply(std::string& inbox,
                        const std::function<std::size_t(char*, std::size_t)>& readSome,
                        bool head = false);

// A blocking TCP socket connected to 127.0.0.1:port, with 5 s send and
// receive timeouts so that a test that goes wrong fails instead of hanging.
// Throws std::runtime_error when it cannot connect.
int connectToLoopback(int port);

struct SslCtxFree {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

// One TLS connection to 127.0.0.1:port. Offers ALPN h2 and http/1.1, as Go does.
class TlsTestClient {
 public:
  // Connects and handshakes; throws std::runtime_error with OpenSSL's reason
  // when the server's certificate does not verify against `caPem`.
  TlsTestClient(int port, const std::string& caPem);
  ~TlsTestClient();
  TlsTestClient(const TlsTestClient&) = delete;
  TlsTestClient& operator=(const TlsTestClient&) = delete;

  // The handshake's error, or "" when a connection verifies against `caPem`.
  static std::string handshakeError(int port, const std::string& caPem);

  void send(const std::string& data);
  // Reads one response with a Content-Length body; status 0 when the server
  // closed the connection first.
  HttpReply readReply();
  // POSTs `body` and reads the response, keeping the connection open.
  HttpReply post(const std::string& path, const std::string& body,
                 const std::string& contentType = "application/json");
  // True when the server has closed the connection (reads end of stream).
  bool closedByServer();
  std::string negotiatedProtocol() const;

 private:
  int fd_ = -1;
  std::unique_ptr<SSL_CTX, SslCtxFree> context_;
  std::unique_ptr<SSL, SslFree> ssl_;
  std::string inbox_;
};

// A minimal AdmissionReview request body.
std::string admissionReviewBody(const std::string& uid, const std::string& name = "demo");

}  // namespace landlord::kube::testing
