#pragma once

// Standard base64 (RFC 4648 with padding), through OpenSSL's EVP codec: the
// admission patch the API server reads, the *-data fields of a kubeconfig.

#include <optional>
#include <string>
#include <string_view>

namespace landlord::kube {

std::string base64Encode(std::string_view data);

// Whitespace and line breaks are ignored, as in PEM bodies and YAML block
// scalars; nullopt when the rest is not base64.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace landlord::kube
