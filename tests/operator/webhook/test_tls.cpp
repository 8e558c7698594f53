#include "test_tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace landlord::kube::testing {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct BnFree {
  void operator()(BIGNUM* number) const { BN_free(number); }
};
struct ExtensionFree {
  void operator()(X509_EXTENSION* extension) const { X509_EXTENSION_free(extension); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::string openSslError(const std::string& what) {
  const unsigned long code = ERR_get_error();
  char reason[256] = "no OpenSSL error";
  if (code != 0) {
    ERR_error_string_n(code, reason, sizeof(reason));
  }
  ERR_clear_error();
  return what + ": " + reason;
}

void check(int ok, const std::string& what) {
  if (ok != 1) {
    throw std::runtime_error(openSslError(what));
  }
}

PkeyPtr newKey() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) {
    throw std::runtime_error(openSslError("EVP_EC_gen"));
  }
  return key;
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  const std::unique_ptr<X509_EXTENSION, ExtensionFree> extension(
      X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension) {
    throw std::runtime_error(openSslError(std::string("extension ") + value));
  }
  check(X509_add_ext(cert, extension.get(), -1), "X509_add_ext");
}

// `issuer` and `issuerKey` null: self-signed.
X509Ptr newCertificate(const std::string& commonName, EVP_PKEY* key, X509* issuer,
                       EVP_PKEY* issuerKey) {
  X509Ptr cert(X509_new());
  check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");
  const std::unique_ptr<BIGNUM, BnFree> serial(BN_new());
  check(BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "BN_rand");
  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(commonName.c_str()), -1,
                                   -1, 0),
        "X509_NAME_add_entry_by_txt");
  X509* signer = issuer != nullptr ? issuer : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)), "X509_set_issuer_name");
  check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");
  addExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer == nullptr) {
    addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    addExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    addExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
    addExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    addExtension(cert.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  }
  if (X509_sign(cert.get(), issuerKey != nullptr ? issuerKey : key, EVP_sha256()) <= 0) {
    throw std::runtime_error(openSslError("X509_sign"));
  }
  return cert;
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string certificatePem(X509* cert) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(bio.get(), cert), "PEM_write_bio_X509");
  return bioText(bio.get());
}

std::string keyPem(EVP_PKEY* key) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PrivateKey");
  return bioText(bio.get());
}

// The server may close while the client still writes (an oversized body);
// that must fail the write, not end the test process.
void ignoreSigpipe() {
  static const bool ignored = [] {
    ::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)ignored;
}

}  // namespace

TestPki makeTestPki(const std::string& caName) {
  const PkeyPtr caKey = newKey();
  const X509Ptr ca = newCertificate(caName, caKey.get(), nullptr, nullptr);
  const PkeyPtr serverKey = newKey();
  const X509Ptr server =
      newCertificate("landlord-webhook.test", serverKey.get(), ca.get(), caKey.get());
  return TestPki{certificatePem(ca.get()), certificatePem(server.get()), keyPem(serverKey.get())};
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "landlord-tls-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + " failed");
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void replaceFile(const std::filesystem::path& path, const std::string& contents) {
  const std::filesystem::path staged = path.string() + ".staged";
  {
    std::ofstream out(staged, std::ios::binary | std::ios::trunc);
    out << contents;
    if (!out) {
      throw std::runtime_error("cannot write " + staged.string());
    }
  }
  std::filesystem::rename(staged, path);
}

int connectToLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + " failed");
  }
  return fd;
}

TlsTestClient::TlsTestClient(int port, const std::string& caPem) {
  ignoreSigpipe();
  context_.reset(SSL_CTX_new(TLS_client_method()));
  if (!context_) {
    throw std::runtime_error(openSslError("SSL_CTX_new"));
  }
  const BioPtr bio(BIO_new_mem_buf(caPem.data(), static_cast<int>(caPem.size())));
  const X509Ptr ca(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!ca) {
    throw std::runtime_error(openSslError("CA PEM"));
  }
  check(X509_STORE_add_cert(SSL_CTX_get_cert_store(context_.get()), ca.get()),
        "X509_STORE_add_cert");
  SSL_CTX_set_verify(context_.get(), SSL_VERIFY_PEER, nullptr);
  static const unsigned char kProtocols[] = {2,   'h', '2', 8,   'h', 't',
                                             't', 'p', '/', '1', '.', '1'};
  SSL_CTX_set_alpn_protos(context_.get(), kProtocols, sizeof(kProtocols));

  fd_ = connectToLoopback(port);
  ssl_.reset(SSL_new(context_.get()));
  SSL_set_fd(ssl_.get(), fd_);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_.get()), "127.0.0.1");
  if (SSL_connect(ssl_.get()) != 1) {
    std::string reason = openSslError("TLS handshake");
    if (const long verify = SSL_get_verify_result(ssl_.get()); verify != X509_V_OK) {
      reason += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
    }
    ssl_.reset();
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error(reason);
  }
}

TlsTestClient::~TlsTestClient() {
  ssl_.reset();
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

std::string TlsTestClient::handshakeError(int port, const std::string& caPem) {
  try {
    const TlsTestClient client(port, caPem);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

void TlsTestClient::send(const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    std::size_t count = 0;
    if (SSL_write_ex(ssl_.get(), data.data() + sent, data.size() - sent, &count) != 1) {
      throw std::runtime_error(openSslError("write"));
    }
    sent += count;
  }
}

HttpReply readHttpReply(std::string& inbox,
                        const std::function<std::size_t(char*, std::size_t)>& readSome, bool head) {
  HttpReply reply;
  char buffer[16384];
  std::size_t headEnd = std::string::npos;
  std::size_t length = 0;
  while (true) {
    if (headEnd == std::string::npos) {
      headEnd = inbox.find("\r\n\r\n");
      if (headEnd != std::string::npos) {
        reply.headers = inbox.substr(0, headEnd);
        reply.status = std::stoi(reply.headers.substr(9, 3));
        const std::size_t field = reply.headers.find("Content-Length: ");
        length =
            field == std::string::npos || head ? 0 : std::stoul(reply.headers.substr(field + 16));
      }
    }
    if (headEnd != std::string::npos && inbox.size() >= headEnd + 4 + length) {
      reply.body = inbox.substr(headEnd + 4, length);
      inbox.erase(0, headEnd + 4 + length);
      return reply;
    }
    const std::size_t count = readSome(buffer, sizeof(buffer));
    if (count == 0) {
      return HttpReply{};
    }
    inbox.append(buffer, count);
  }
}

HttpReply TlsTestClient::readReply() {
  return readHttpReply(inbox_, [this](char* buffer, std::size_t capacity) -> std::size_t {
    std::size_t count = 0;
    if (SSL_read_ex(ssl_.get(), buffer, capacity, &count) != 1) {
      ERR_clear_error();
      return 0;
    }
    return count;
  });
}

HttpReply TlsTestClient::post(const std::string& path, const std::string& body,
                              const std::string& contentType) {
  send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType +
       "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  return readReply();
}

bool TlsTestClient::closedByServer() {
  char byte = 0;
  std::size_t count = 0;
  const bool closed = SSL_read_ex(ssl_.get(), &byte, 1, &count) != 1;
  ERR_clear_error();
  return closed;
}

std::string TlsTestClient::negotiatedProtocol() const {
  const unsigned char* protocol = nullptr;
  unsigned int length = 0;
  SSL_get0_alpn_selected(ssl_.get(), &protocol, &length);
  return protocol == nullptr ? "" : std::string(reinterpret_cast<const char*>(protocol), length);
}

std::string admissionReviewBody(const std::string& uid, const std::string& name) {
  return R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":")" +
         uid +
         R"(","kind":{"group":"landlord.dev","version":"v1alpha1","kind":"PoolLease"},)"
         R"("resource":{"group":"landlord.dev","version":"v1alpha1","resource":"poolleases"},)"
         R"("name":")" +
         name +
         R"(","operation":"CREATE","userInfo":{"username":"alice","groups":["system:authenticated"]},)"
         R"("object":{"metadata":{"name":")" +
         name + R"("},"spec":{"pool":"p1"}},"oldObject":null,"dryRun":false}})";
}

}  // namespace landlord::kube::testing
