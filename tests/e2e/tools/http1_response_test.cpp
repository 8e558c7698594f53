#include "http1_response.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace landlord::hollow {
namespace {

// Serves `wire` in pieces of at most `step` bytes, then end of stream.
ReadSome from(const std::string& wire, std::size_t step = 1 << 20) {
  auto offset = std::make_shared<std::size_t>(0);
  return [wire, step, offset](char* buffer, std::size_t capacity) {
    const std::size_t n = std::min({capacity, step, wire.size() - *offset});
    std::copy_n(wire.data() + *offset, n, buffer);
    *offset += n;
    return n;
  };
}

TEST(Http1ResponseReader, ReadsABodyOfContentLength) {
  Http1ResponseReader reader(
      from("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n"
           "hello"));
  const Http1Response answer = reader.read();
  EXPECT_EQ(answer.response.status, 201);
  EXPECT_EQ(answer.response.body, "hello");
  EXPECT_TRUE(answer.keepAlive);
}

TEST(Http1ResponseReader, ReadsChunkedBodiesAndSkipsTrailers) {
  Http1ResponseReader reader(
      from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
           "4\r\nabcd\r\nA;ext=1\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"));
  EXPECT_EQ(reader.read().response.body, "abcd0123456789");
}

TEST(Http1ResponseReader, KeepsBytesOfTheNextResponse) {
  Http1ResponseReader reader(
      from("HTTP/1.1 409 Conflict\r\nContent-Length: 3\r\n\r\nabc"
           "HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok"));
  const Http1Response first = reader.read();
  const Http1Response second = reader.read();
  EXPECT_EQ(first.response.status, 409);
  EXPECT_EQ(first.response.body, "abc");
  EXPECT_EQ(second.response.status, 201);
  EXPECT_EQ(second.response.body, "ok");
}

TEST(Http1ResponseReader, ReadsAResponseArrivingOneByteAtATime) {
  Http1ResponseReader reader(
      from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n", 1));
  EXPECT_EQ(reader.read().response.body, "xyz");
}

TEST(Http1ResponseReader, HonoursConnectionCloseAndRetryAfter) {
  Http1ResponseReader reader(
      from("HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 3\r\n"
           "Content-Length: 0\r\n\r\n"));
  const Http1Response answer = reader.read();
  EXPECT_EQ(answer.response.status, 429);
  EXPECT_EQ(answer.response.retryAfterSeconds, 3);
  EXPECT_FALSE(answer.keepAlive);
}

TEST(Http1ResponseReader, ReadsUntilCloseWithoutALength) {
  Http1ResponseReader reader(from("HTTP/1.0 200 OK\r\n\r\nall of it"));
  const Http1Response answer = reader.read();
  EXPECT_EQ(answer.response.body, "all of it");
  EXPECT_FALSE(answer.keepAlive);
}

TEST(Http1ResponseReader, ABodyCutShortIsAnError) {
  Http1ResponseReader reader(from("HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\nshort"));
  EXPECT_THROW(
      {
        try {
          reader.read();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "connection closed before the response ended");
          throw;
        }
      },
      std::runtime_error);
}

TEST(Http1ResponseReader, MalformedStatusLinesAndLengthsAreErrorsNamingThem) {
  Http1ResponseReader garbage(from("SSH-2.0-OpenSSH\r\n\r\n"));
  try {
    garbage.read();
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("malformed HTTP status line 'SSH-2.0-OpenSSH'"),
              std::string::npos)
        << e.what();
  }
  Http1ResponseReader badLength(from("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n"));
  try {
    badLength.read();
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("Content-Length 'lots'"), std::string::npos) << e.what();
  }
}

TEST(Http1ResponseReader, NoContentHasNoBody) {
  Http1ResponseReader reader(
      from("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));
  EXPECT_EQ(reader.read().response.status, 204);
  EXPECT_EQ(reader.read().response.body, "x");
}

}  // namespace
}  // namespace landlord::hollow
