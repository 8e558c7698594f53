#include "landlord/operator/base/errors.h"

#include <nlohmann/json.hpp>

namespace landlord::kube {
namespace {

std::string reasonForCode(int code) {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return "Unknown";
  }
}

std::string describeApiError(const RequestContext& request, const Status& status) {
  std::string text = request.describe() + ": " + std::to_string(status.code) + " " + status.reason;
  if (!status.message.empty()) {
    text += ": " + status.message;
  }
  return text;
}

std::string describeTransportError(const RequestContext& request, const std::string& cause) {
  return request.describe() + ": " + cause;
}

}  // namespace

std::string RequestContext::describe() const {
  if (method.empty()) {
    return server;
  }
  return method + " " + server + path;
}

TransportError::TransportError(RequestContext request, std::string cause)
    : KubeError(describeTransportError(request, cause)),
      request_(std::move(request)),
      cause_(std::move(cause)) {}

ApiError::ApiError(RequestContext request, Status status)
    : KubeError(describeApiError(request, status)),
      request_(std::move(request)),
      status_(std::move(status)) {}

Status decodeStatus(int httpCode, std::string_view body) {
  Status status;
  status.code = httpCode;
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object() && json.value("kind", "") == "Status") {
    status.reason = json.value("reason", "");
    status.message = json.value("message", "");
    if (json.contains("code") && json["code"].is_number_integer() && httpCode == 0) {
      status.code = json["code"].get<int>();
    }
    if (auto details = json.find("details"); details != json.end() && details->is_object()) {
      status.kind = details->value("kind", "");
      status.name = details->value("name", "");
      if (auto retry = details->find("retryAfterSeconds");
          retry != details->end() && retry->is_number_integer()) {
        status.retryAfterSeconds = retry->get<int>();
      }
      if (auto causes = details->find("causes"); causes != details->end() && causes->is_array()) {
        for (const auto& cause : *causes) {
          status.causes.push_back(StatusCause{cause.value("reason", ""), cause.value("message", ""),
                                              cause.value("field", "")});
        }
      }
    }
  } else {
    std::string text(body.substr(0, 512));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.pop_back();
    }
    status.message = text;
  }
  if (status.reason.empty()) {
    status.reason = reasonForCode(status.code);
  }
  return status;
}

void throwApiError(RequestContext request, Status status) {
  const std::string& reason = status.reason;
  if (reason == "AlreadyExists") {
    throw AlreadyExistsError(std::move(request), std::move(status));
  }
  if (reason == "Conflict") {
    throw ConflictError(std::move(request), std::move(status));
  }
  if (reason == "NotFound") {
    throw NotFoundError(std::move(request), std::move(status));
  }
  if (reason == "Gone" || reason == "Expired") {
    throw GoneError(std::move(request), std::move(status));
  }
  if (reason == "Invalid") {
    throw InvalidError(std::move(request), std::move(status));
  }
  if (reason == "Forbidden") {
    throw ForbiddenError(std::move(request), std::move(status));
  }
  if (reason == "Unauthorized") {
    throw UnauthorizedError(std::move(request), std::move(status));
  }
  if (reason == "TooManyRequests") {
    throw TooManyRequestsError(std::move(request), std::move(status));
  }
  if (reason == "Timeout" || reason == "ServerTimeout") {
    throw ServerTimeoutError(std::move(request), std::move(status));
  }
  switch (status.code) {
    case 400:
      throw BadRequestError(std::move(request), std::move(status));
    case 401:
      throw UnauthorizedError(std::move(request), std::move(status));
    case 403:
      throw ForbiddenError(std::move(request), std::move(status));
    case 404:
      throw NotFoundError(std::move(request), std::move(status));
    case 405:
      throw MethodNotAllowedError(std::move(request), std::move(status));
    case 409:
      throw ConflictError(std::move(request), std::move(status));
    case 410:
      throw GoneError(std::move(request), std::move(status));
    case 422:
      throw InvalidError(std::move(request), std::move(status));
    case 429:
      throw TooManyRequestsError(std::move(request), std::move(status));
    case 503:
      throw ServiceUnavailableError(std::move(request), std::move(status));
    case 504:
      throw ServerTimeoutError(std::move(request), std::move(status));
    default:
      if (status.code >= 500) {
        throw InternalServerError(std::move(request), std::move(status));
      }
      throw ApiError(std::move(request), std::move(status));
  }
}

bool isRetryable(const std::exception& error) {
  if (dynamic_cast<const TlsError*>(&error) != nullptr) {
    return false;
  }
  if (dynamic_cast<const TransportError*>(&error) != nullptr) {
    return true;
  }
  if (const auto* api = dynamic_cast<const ApiError*>(&error)) {
    return api->code() == 429 || api->code() >= 500 ||
           dynamic_cast<const ServerTimeoutError*>(api) != nullptr;
  }
  return false;
}

}  // namespace landlord::kube
