#pragma once

// A lease's drain settings (spec.drain), and where its drain stands in time.

#include <chrono>
#include <cstdint>
#include <optional>

#include "landlord/api/v1alpha1/poollease.h"

namespace landlord::controllers {

enum class DrainPolicy { Fail, Force };

struct DrainSettings {
  std::int64_t timeoutSeconds = 600;
  DrainPolicy policy = DrainPolicy::Fail;
  std::optional<std::int64_t> podGracePeriodSeconds;
};
DrainSettings drainSettingsOf(const api::PoolLease& lease);

// Whether the lease's drain (status.drain.deadline) has run out at `now`.
bool drainDeadlinePassed(const api::PoolLease& lease, std::chrono::system_clock::time_point now);

}  // namespace landlord::controllers
