#pragma once

// PoolLease objects for the pure tests of the calendar and the term report: the
// lessee's twelve-month term on colossus-1 and the leases around it.

#include <optional>
#include <string>

#include "landlord/api/v1alpha1/poollease.h"

namespace landlord::cli::testing {

struct LeaseOptions {
  std::string name;
  std::string pool;
  std::string tenant;
  std::string phase;
  std::string created;
  std::string activatedAt = "";
  std::string releasedAt = "";
  std::string supersedes = "";
  std::optional<api::LeaseTerm> term = std::nullopt;
  std::string hourlyRate = "";
  std::string ratePerGPUHour = "";
};

inline api::PoolLease lease(const LeaseOptions& options) {
  api::PoolLease lease;
  lease.metadata.name = options.name;
  lease.metadata.creationTimestamp = options.created;
  lease.spec.pool = options.pool;
  lease.spec.tenant = options.tenant;
  lease.spec.purpose = options.tenant == "owner" ? "training" : "inference";
  lease.spec.supersedes = options.supersedes;
  lease.spec.term = options.term;
  lease.spec.ratePerGPUHour = options.ratePerGPUHour;
  lease.status.phase = options.phase;
  lease.status.activatedAt = options.activatedAt;
  lease.status.releasedAt = options.releasedAt;
  lease.status.hourlyRate = options.hourlyRate;
  return lease;
}

inline api::LeaseTerm term(std::string start, std::string end, std::string returnTo = "") {
  api::LeaseTerm term{.start = std::move(start),
                      .end = std::move(end),
                      .atEnd = returnTo.empty() ? "Release" : "Return",
                      .returnTo = std::nullopt};
  if (!returnTo.empty()) {
    term.returnTo =
        api::TermReturn{.tenant = returnTo, .purpose = "training", .ratePerGPUHour = ""};
  }
  return term;
}

}  // namespace landlord::cli::testing
