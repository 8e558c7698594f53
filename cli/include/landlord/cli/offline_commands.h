#pragma once

#include "landlord/cli/command_registry.h"

namespace landlord::cli {

// report, plan and advise: computed from files, no cluster needed.
void addOfflineCommands(CommandRegistry& registry);

}  // namespace landlord::cli
