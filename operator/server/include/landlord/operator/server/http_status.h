#pragma once

namespace landlord::kube {

// The reason phrase of an HTTP status code landlord's servers send.
const char* reasonPhrase(int status);

}  // namespace landlord::kube
