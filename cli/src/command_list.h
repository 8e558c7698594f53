#pragma once

#include "landlord/cli/cluster.h"
#include "landlord/cli/command_registry.h"

namespace landlord::cli {

Command reportCommand(ClusterAccess cluster);
Command planCommand();
Command adviseCommand(ClusterAccess cluster);
Command handoverCommand(ClusterAccess cluster);
Command calendarCommand(ClusterAccess cluster);

}  // namespace landlord::cli
