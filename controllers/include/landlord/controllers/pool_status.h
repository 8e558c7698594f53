#pragma once

#include <string>
#include <vector>

#include "landlord/controllers/api.h"
#include "landlord/controllers/pool_membership.h"
#include "landlord/placement/catalog.h"
#include "landlord/placement/pool_metrics.h"

namespace landlord::controllers {

struct PoolFigures {
  placement::PoolMetrics metrics;
  std::vector<std::string> unknownPricingModels;  // spec.pricing models the catalog lacks
};

// The pool's figures from its member nodes and spec.pricing.
PoolFigures computePoolFigures(const json& pool, const PoolMembership& membership,
                               const placement::Catalog& catalog);

// The pool's status: the existing status with the fields this controller owns
// (figures, conflicts, unknown products, phase, conditions) rewritten. The claim
// fields (lease, leaseGeneration, handover) belong to the lease controller and are
// kept as they are.
json buildPoolStatus(const json& pool, const PoolMembership& membership, const PoolFigures& figures,
                     const placement::Catalog& catalog, const std::string& now);

// "4.60", "2.5773": a decimal with at least 2 and at most 6 places, trailing zeros cut.
std::string decimalText(const placement::Money& money);

}  // namespace landlord::controllers
