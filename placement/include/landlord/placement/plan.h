#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/placement/catalog.h"
#include "landlord/placement/lease.h"
#include "landlord/placement/placement.h"
#include "landlord/placement/resolved_fleet.h"

namespace landlord::placement {

// An offline what-if: tenants, the active leases on a fleet's pools, and requests
// to place in order. Shape:
//   tenants:
//     - name: owner
//       qualifiedArchitectures: [hopper, blackwell]
//   leases:
//     - pool: colossus-2
//       tenant: owner
//       purpose: training           # inference | training | any (default any)
//       ratePerGPUHour: "4.10"      # optional; overrides list prices
//   requests:
//     - name: pretrain
//       tenant: owner
//       workloadType: training      # training | inference
//       gpus: 100000
//       allowedModels: [GB200]      # optional

struct LeaseSpec {
  std::string name;  // defaults to "<tenant>-<pool>"
  std::string pool;
  std::string tenant;
  LeasePurpose purpose = LeasePurpose::Any;
  std::optional<Money> ratePerGpuHour;
  int line = 0;
};

struct RequestSpec {
  PlacementRequest request;
  int line = 0;
};

struct PlanSpec {
  std::vector<TenantProfile> tenants;
  std::vector<LeaseSpec> leases;
  std::vector<RequestSpec> requests;
  std::string source;
};

// Throws ParseError "SOURCE:LINE: field.path: reason".
PlanSpec parsePlan(std::string_view yamlText, std::string_view sourceName);

struct PlannedRequest {
  PlacementRequest request;
  PlacementDecision decision;
};

struct PlanResult {
  std::vector<PlannedRequest> placements;
  CapacityLedger ledger;  // capacity left after every placement
};

// Places the requests in file order, each reserving what it gets. Throws
// ResolveError ("SOURCE:LINE: reason") for a lease on an unknown pool, a second
// live lease on one pool, or an unknown tenant.
PlanResult runPlan(const PlanSpec& plan, const ResolvedFleet& fleet, const Catalog& catalog);

}  // namespace landlord::placement
