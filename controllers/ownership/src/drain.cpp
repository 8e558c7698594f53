// A lease's drain settings and deadline.
#include "landlord/controllers/ownership/drain.h"

#include "landlord/operator/base/time_format.h"

namespace landlord::controllers {

DrainSettings drainSettingsOf(const api::PoolLease& lease) {
  const api::DrainSpec& drain = lease.spec.drain;
  DrainSettings settings;
  settings.timeoutSeconds = drain.timeoutSeconds.value_or(600);
  settings.policy = drain.policy == "Force" ? DrainPolicy::Force : DrainPolicy::Fail;
  settings.podGracePeriodSeconds = drain.podGracePeriodSeconds;
  return settings;
}

bool drainDeadlinePassed(const api::PoolLease& lease, std::chrono::system_clock::time_point now) {
  if (!lease.status.drain) {
    return false;
  }
  const auto deadline = kube::parseTime(lease.status.drain->deadline);
  return deadline && now >= *deadline;
}

}  // namespace landlord::controllers
