#include "landlord/cli/commands.h"

#include "command_list.h"

namespace landlord::cli {

void addCommands(CommandRegistry& registry, ClusterAccess cluster) {
  registry.add(reportCommand(cluster));
  registry.add(planCommand());
  registry.add(adviseCommand(cluster));
  registry.add(handoverCommand(cluster));
  registry.add(calendarCommand(std::move(cluster)));
}

}  // namespace landlord::cli
