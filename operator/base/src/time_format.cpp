#include "landlord/operator/base/time_format.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace landlord::kube {

std::string microTimeNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()) %
                std::chrono::seconds(1);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char date[40];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[64];
  std::snprintf(out, sizeof out, "%s.%06ldZ", date, static_cast<long>(micros.count()));
  return out;
}

}  // namespace landlord::kube
