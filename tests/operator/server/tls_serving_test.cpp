// HTTPS serving: the TLS versions offered, and handshakes that never finish.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <chrono>
#include <thread>

#include "../webhook/test_tls.h"
#include "landlord/operator/server/http_server.h"
#include "raw_http.h"

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;
using testing::TlsTestClient;

Logger quietLogger() {
  return Logger(makeSpdlogLogger("t", LogFormat::text, spdlog::level::off));
}

class TlsServingTest : public ::testing::Test {
 protected:
  TlsServingTest() : pki_(testing::makeTestPki("landlord-test-ca")) {
    testing::replaceFile(certDir_.path() / "tls.crt", pki_.serverCertificate);
    testing::replaceFile(certDir_.path() / "tls.key", pki_.serverKey);
    options_.name = "test";
    options_.bindAddress = "127.0.0.1:0";
    options_.tls = TlsFiles{(certDir_.path() / "tls.crt").string(),
                            (certDir_.path() / "tls.key").string(), 0ms};
  }
  ~TlsServingTest() override {
    if (thread_.joinable()) {
      thread_.request_stop();
    }
  }

  void start() {
    server_ = std::make_unique<EndpointServer>(options_, quietLogger());
    server_->handle("/echo",
                    [](const EndpointRequest& request) {
                      return EndpointResponse{200, "text/plain", "got " + request.body};
                    },
                    false, {"POST"});
    server_->listen();
    thread_ = std::jthread([this](std::stop_token stop) { server_->run(stop); });
  }
  int port() const { return server_->port(); }

  // The handshake's error with a client that speaks only `version`, or "".
  std::string handshakeWithOnly(int version) const {
    const std::unique_ptr<SSL_CTX, testing::SslCtxFree> context(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_min_proto_version(context.get(), version);
    SSL_CTX_set_max_proto_version(context.get(), version);
    // Lets OpenSSL offer the old versions at all; the server must refuse them.
    SSL_CTX_set_security_level(context.get(), 0);
    SSL_CTX_set_cipher_list(context.get(), "DEFAULT:@SECLEVEL=0");
    testing::RawHttpClient tcp(port());
    const std::unique_ptr<SSL, testing::SslFree> ssl(SSL_new(context.get()));
    SSL_set_fd(ssl.get(), tcp.fd());
    if (SSL_connect(ssl.get()) == 1) {
      return "";
    }
    char reason[256] = "handshake failed";
    if (const unsigned long code = ERR_get_error(); code != 0) {
      ERR_error_string_n(code, reason, sizeof(reason));
    }
    ERR_clear_error();
    return reason;
  }

  testing::TempDir certDir_;
  testing::TestPki pki_;
  EndpointServerOptions options_;
  std::unique_ptr<EndpointServer> server_;
  std::jthread thread_;
};

TEST_F(TlsServingTest, ServesTls12AndLaterOnly) {
  start();
  EXPECT_EQ(handshakeWithOnly(TLS1_3_VERSION), "");
  EXPECT_EQ(handshakeWithOnly(TLS1_2_VERSION), "");
  const std::string old = handshakeWithOnly(TLS1_1_VERSION);
  EXPECT_NE(old.find("protocol version"), std::string::npos) << old;
  TlsTestClient client(port(), pki_.caCertificate);
  EXPECT_EQ(client.post("/echo", "x").body, "got x");
}

TEST_F(TlsServingTest, DropsHandshakesThatNeverFinishAndServesOthersMeanwhile) {
  options_.requestTimeout = 300ms;
  start();
  // One says nothing; one sends the start of a ClientHello record and stops.
  testing::RawHttpClient silent(port());
  testing::RawHttpClient partial(port());
  partial.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
  TlsTestClient client(port(), pki_.caCertificate);
  EXPECT_EQ(client.post("/echo", "meanwhile").body, "got meanwhile");
  EXPECT_TRUE(silent.closedByServer(3s));
  EXPECT_TRUE(partial.closedByServer(3s));
}

TEST_F(TlsServingTest, PlainHttpOnTheTlsPortIsDropped) {
  start();
  testing::RawHttpClient plain(port());
  plain.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(plain.closedByServer());
  TlsTestClient client(port(), pki_.caCertificate);
  EXPECT_EQ(client.post("/echo", "after").body, "got after");
}

}  // namespace
}  // namespace landlord::kube
