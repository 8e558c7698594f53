#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace landlord::kube {

// Base of every error this runtime throws. what() always names the server and
// the request when one was involved.
class KubeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A kubeconfig or in-cluster configuration that cannot be used.
class ConfigError : public KubeError {
 public:
  using KubeError::KubeError;
};

// Where a failed request went: "GET https://10.0.0.1:6443/api/v1/nodes".
struct RequestContext {
  std::string server;  // scheme://host:port
  std::string method;
  std::string path;  // path and query
  std::string describe() const;
};

// No HTTP response: connection refused, DNS, timeout, TLS handshake failure.
class TransportError : public KubeError {
 public:
  TransportError(RequestContext request, std::string cause);
  const RequestContext& request() const { return request_; }
  const std::string& cause() const { return cause_; }

 private:
  RequestContext request_;
  std::string cause_;
};

// The TLS handshake failed: wrong CA, expired or not-yet-valid certificate,
// host name mismatch, client certificate refused. cause() says which.
class TlsError : public TransportError {
 public:
  using TransportError::TransportError;
};

// One entry of Status.details.causes.
struct StatusCause {
  std::string reason;  // e.g. FieldValueInvalid
  std::string message;
  std::string field;  // e.g. spec.replicas
};

// A decoded metav1.Status (or what we could make of a non-Status body).
struct Status {
  int code = 0;        // HTTP status code
  std::string reason;  // NotFound, AlreadyExists, Conflict, Invalid, Expired, ...
  std::string message;
  std::string kind;  // details.kind
  std::string name;  // details.name
  std::vector<StatusCause> causes;
  std::optional<int> retryAfterSeconds;
};

// The API server answered with an error status.
class ApiError : public KubeError {
 public:
  ApiError(RequestContext request, Status status);
  const RequestContext& request() const { return request_; }
  const Status& status() const { return status_; }
  int code() const { return status_.code; }
  const std::string& reason() const { return status_.reason; }

 private:
  RequestContext request_;
  Status status_;
};

class BadRequestError : public ApiError {
 public:
  using ApiError::ApiError;
};
class UnauthorizedError : public ApiError {
 public:
  using ApiError::ApiError;
};
class ForbiddenError : public ApiError {
 public:
  using ApiError::ApiError;
};
class NotFoundError : public ApiError {
 public:
  using ApiError::ApiError;
};
class MethodNotAllowedError : public ApiError {
 public:
  using ApiError::ApiError;
};
class AlreadyExistsError : public ApiError {
 public:
  using ApiError::ApiError;
};
// 409 Conflict that is not AlreadyExists: a stale resourceVersion on update, a
// failed precondition, or a server-side-apply field-manager conflict.
class ConflictError : public ApiError {
 public:
  using ApiError::ApiError;
};
// 410 Gone or reason Expired: the requested resourceVersion was compacted.
// Watchers and paginated lists must start over.
class GoneError : public ApiError {
 public:
  using ApiError::ApiError;
};
class InvalidError : public ApiError {
 public:
  using ApiError::ApiError;
};
class TooManyRequestsError : public ApiError {
 public:
  using ApiError::ApiError;
};
class InternalServerError : public ApiError {
 public:
  using ApiError::ApiError;
};
class ServiceUnavailableError : public ApiError {
 public:
  using ApiError::ApiError;
};
// 504, or reason Timeout / ServerTimeout.
class ServerTimeoutError : public ApiError {
 public:
  using ApiError::ApiError;
};

// Decodes a response body into a Status. A body that is not a Status (a proxy's
// HTML page, empty) still yields the code and a reason derived from it.
Status decodeStatus(int httpCode, std::string_view body);

// Throws the typed ApiError subclass matching the status reason (first) or
// HTTP code.
[[noreturn]] void throwApiError(RequestContext request, Status status);

// True for errors worth retrying unchanged after a pause: 429, 5xx, server
// timeouts and transport errors (except TLS verification failures).
bool isRetryable(const std::exception& error);

}  // namespace landlord::kube
