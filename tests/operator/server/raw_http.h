#pragma once

// A blocking loopback TCP client that sends whatever bytes a test wants and
// reads HTTP/1.1 answers: for requests no well-behaved client would send.

#include <chrono>
#include <string>
#include <string_view>

#include "../webhook/test_tls.h"

namespace landlord::kube::testing {

class RawHttpClient {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit RawHttpClient(int port);
  ~RawHttpClient();
  RawHttpClient(const RawHttpClient&) = delete;
  RawHttpClient& operator=(const RawHttpClient&) = delete;

  // False when the server has closed the connection.
  bool send(std::string_view bytes);
  // One answer (with a Content-Length body, unless it answers a HEAD);
  // status 0 when the server closed the connection first or nothing came
  // within 5 s.
  HttpReply readReply(bool head = false);
  // True when the server closes the connection (reads end of stream, or a
  // reset) within `within`; unread answer bytes are skipped.
  bool closedByServer(std::chrono::milliseconds within = std::chrono::seconds(5));
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string inbox_;
};

// One request without a body on a fresh connection, with "Connection: close".
HttpReply httpRequest(int port, const std::string& target, const std::string& method = "GET");

}  // namespace landlord::kube::testing
