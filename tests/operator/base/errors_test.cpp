#include "landlord/operator/base/errors.h"

#include <gtest/gtest.h>

namespace landlord::kube {
namespace {

const RequestContext kRequest{"https://10.0.0.1:6443", "PUT", "/api/v1/namespaces/a/configmaps/b"};

template <class Expected>
void expectThrown(int code, const std::string& body) {
  try {
    throwApiError(kRequest, decodeStatus(code, body));
    FAIL() << "nothing thrown";
  } catch (const Expected&) {
  } catch (const std::exception& other) {
    FAIL() << "wrong type for " << body << ": " << other.what();
  }
}

TEST(KubeErrors, DecodesStatusWithCauses) {
  Status status = decodeStatus(422, R"({"kind":"Status","apiVersion":"v1","status":"Failure",
    "message":"GPUPool.landlord.dev \"p\" is invalid: spec.nodeSelector: Required value",
    "reason":"Invalid","details":{"name":"p","group":"landlord.dev","kind":"GPUPool",
    "causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.nodeSelector"}]},
    "code":422})");
  EXPECT_EQ(status.code, 422);
  EXPECT_EQ(status.reason, "Invalid");
  EXPECT_EQ(status.kind, "GPUPool");
  EXPECT_EQ(status.name, "p");
  ASSERT_EQ(status.causes.size(), 1u);
  EXPECT_EQ(status.causes[0].field, "spec.nodeSelector");
  EXPECT_EQ(status.causes[0].reason, "FieldValueRequired");
}

TEST(KubeErrors, NonStatusBodiesStillYieldCodeAndReason) {
  Status status = decodeStatus(503, "upstream connect error\n");
  EXPECT_EQ(status.reason, "ServiceUnavailable");
  EXPECT_EQ(status.message, "upstream connect error");
}

TEST(KubeErrors, ReasonsMapToTypedErrors) {
  expectThrown<NotFoundError>(404, R"({"kind":"Status","reason":"NotFound","code":404})");
  expectThrown<AlreadyExistsError>(409, R"({"kind":"Status","reason":"AlreadyExists","code":409})");
  expectThrown<ConflictError>(409, R"({"kind":"Status","reason":"Conflict","code":409})");
  expectThrown<GoneError>(410, R"({"kind":"Status","reason":"Expired","code":410})");
  expectThrown<GoneError>(410, R"({"kind":"Status","reason":"Gone","code":410})");
  expectThrown<InvalidError>(422, R"({"kind":"Status","reason":"Invalid","code":422})");
  expectThrown<ForbiddenError>(403, R"({"kind":"Status","reason":"Forbidden","code":403})");
  expectThrown<UnauthorizedError>(401, R"({"kind":"Status","reason":"Unauthorized","code":401})");
  expectThrown<TooManyRequestsError>(429,
                                     R"({"kind":"Status","reason":"TooManyRequests","code":429})");
  expectThrown<ServerTimeoutError>(504, R"({"kind":"Status","reason":"Timeout","code":504})");
  expectThrown<ServerTimeoutError>(500, R"({"kind":"Status","reason":"ServerTimeout","code":500})");
  expectThrown<InternalServerError>(500, "boom");
  expectThrown<ConflictError>(409, "");  // no body: by code
}

TEST(KubeErrors, MessageNamesServerRequestAndCause) {
  try {
    throwApiError(kRequest, decodeStatus(409, R"({"kind":"Status","reason":"Conflict",
      "message":"the object has been modified","code":409})"));
  } catch (const ApiError& error) {
    EXPECT_STREQ(error.what(),
                 "PUT https://10.0.0.1:6443/api/v1/namespaces/a/configmaps/b: 409 Conflict: the "
                 "object has been modified");
  }
}

TEST(KubeErrors, RetryableClassification) {
  Status tooMany{429, "TooManyRequests", "", "", "", {}, 3};
  EXPECT_TRUE(isRetryable(TooManyRequestsError(kRequest, tooMany)));
  EXPECT_TRUE(isRetryable(TransportError(kRequest, "connection refused")));
  EXPECT_FALSE(isRetryable(TlsError(kRequest, "certificate has expired")));
  EXPECT_FALSE(isRetryable(ConflictError(kRequest, Status{409, "Conflict", "", "", "", {}, {}})));
}

}  // namespace
}  // namespace landlord::kube
