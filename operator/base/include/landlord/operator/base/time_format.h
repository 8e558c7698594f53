#pragma once

#include <string>

namespace landlord::kube {

// The current time as metav1.MicroTime: RFC 3339 with microseconds, in UTC
// ("2026-11-25T03:04:05.123456Z"), as Leases and events.k8s.io Events want it.
std::string microTimeNow();

}  // namespace landlord::kube
