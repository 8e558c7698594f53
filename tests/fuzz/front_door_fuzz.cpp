// libFuzzer target for what the front door decodes from strangers: HTTP
// requests (Beast's parser with the server's limits, fed in pieces as a
// socket delivers them, then the request as handlers see it) and
// AdmissionReview bodies (decoded, answered, and the answer read back).
// The first input byte chooses which, and the piece size. `make fuzz` runs it.

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "http_messages.h"
#include "landlord/operator/webhook/admission.h"

namespace {

using namespace landlord::kube;

// Small limits, so that inputs reach them.
constexpr server::RequestLimits kLimits{1024, 1024};

void check(bool invariant) {
  if (!invariant) {
    std::abort();
  }
}

void fuzzReview(std::string_view body) {
  AdmissionRequest review;
  try {
    review = parseAdmissionReview(std::string(body));
  } catch (const AdmissionReviewError&) {
    return;  // refused with a reason: what malformed input must get
  }
  AdmissionResponse answer = AdmissionResponse::deny("refused " + review.name);
  answer.patch = nlohmann::json::array({{{"op", "add"}, {"path", "/x"}, {"value", review.object}}});
  const nlohmann::json rendered = nlohmann::json::parse(renderAdmissionReview(review, answer));
  check(rendered["response"]["uid"] == review.uid);
  check(rendered["response"]["allowed"] == false);
}

void fuzzRequest(std::string_view bytes, std::size_t chunk) {
  const auto parsed = server::parseRequest(bytes, kLimits, chunk);
  if (!parsed) {
    return;  // the bytes ended before the request did
  }
  if (const auto* refusal = std::get_if<server::Refusal>(&*parsed)) {
    check(refusal->status == 400 || refusal->status == 413 || refusal->status == 431);
    return;
  }
  const EndpointRequest& request = std::get<EndpointRequest>(*parsed);
  check(!request.path.empty() && request.path.front() == '/');
  check(request.path.find('?') == std::string::npos);
  check(request.body.size() <= kLimits.maxBodyBytes);
  const server::Response response = server::toHttpResponse(server::textResponse(200, request.body),
                                                           request.method == "HEAD", true, 11);
  check(response.result_int() == 200);
  fuzzReview(request.body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    fuzzRequest(input, data[0] / 2 + 1);
  } else {
    fuzzReview(input);
  }
  return 0;
}
