#include "landlord/cli/commands.h"

#include "command_list.h"

namespace landlord::cli {

void addCommands(CommandRegistry& registry, ClusterAccess cluster) {
  registry.add(reportCommand(cluster));
  registry.add(planCommand());
  registry.add(adviseCommand(cluster));
  registry.add(handoverCommand(std::move(cluster)));
}

}  // namespace landlord::cli
