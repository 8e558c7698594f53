// base64 through OpenSSL's EVP codec (see base64.h).
#include "landlord/operator/base/base64.h"

#include <openssl/evp.h>

#include <memory>

namespace landlord::kube {

namespace {

using EncodeContext =
    std::unique_ptr<EVP_ENCODE_CTX, decltype([](EVP_ENCODE_CTX* c) { EVP_ENCODE_CTX_free(c); })>;

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string base64Encode(std::string_view data) {
  // EVP_EncodeBlock writes one line without breaks, and a terminating NUL.
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(data),
                                      static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  // The streaming decoder skips whitespace and handles padding itself, which
  // EVP_DecodeBlock does not.
  const EncodeContext context(EVP_ENCODE_CTX_new());
  if (!context) {
    return std::nullopt;
  }
  EVP_DecodeInit(context.get());
  std::string out(3 * (text.size() / 4) + 3, '\0');
  int written = 0;
  if (EVP_DecodeUpdate(context.get(), reinterpret_cast<unsigned char*>(out.data()), &written,
                       bytes(text), static_cast<int>(text.size())) < 0) {
    return std::nullopt;
  }
  int tail = 0;
  if (EVP_DecodeFinal(context.get(), reinterpret_cast<unsigned char*>(out.data()) + written,
                      &tail) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(written + tail));
  return out;
}

}  // namespace landlord::kube
