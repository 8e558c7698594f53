#pragma once

#include "landlord/cli/cluster.h"
#include "landlord/cli/command_registry.h"

namespace landlord::cli {

// Every command: report and advise (from a fleet file, or from the live cluster
// when --fleet is absent), plan (from files), handover and calendar (on the live
// cluster).
void addCommands(CommandRegistry& registry, ClusterAccess cluster);

}  // namespace landlord::cli
