#pragma once

#include <optional>
#include <string>

#include "landlord/cli/arguments.h"
#include "landlord/placement/catalog.h"
#include "landlord/placement/plan.h"
#include "landlord/placement/resolved_fleet.h"

namespace landlord::cli {

// Options shared by the offline commands.
OptionSpec fleetOption();
OptionSpec fleetOrClusterOption();  // report and advise read the cluster without --fleet
OptionSpec catalogOption();
OptionSpec outputOption();

// Reads and checks the files the options name; parse errors carry FILE:LINE.
placement::Catalog loadCatalog(const Arguments& arguments);
placement::ResolvedFleet loadFleet(const Arguments& arguments, const placement::Catalog& catalog);
placement::PlanSpec loadPlan(const std::string& path);

bool wantsJson(const Arguments& arguments);

}  // namespace landlord::cli
