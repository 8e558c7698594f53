#include "landlord/cli/offline_commands.h"

#include "offline_command_list.h"

namespace landlord::cli {

void addOfflineCommands(CommandRegistry& registry) {
  registry.add(reportCommand());
  registry.add(planCommand());
  registry.add(adviseCommand());
}

}  // namespace landlord::cli
