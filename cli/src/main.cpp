#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "landlord/cli/command_registry.h"
#include "landlord/cli/commands.h"
#include "landlord/cli/program_name.h"

int main(int argc, char** argv) {
  landlord::cli::CommandRegistry registry(
      landlord::cli::programName(argc > 0 ? argv[0] : "landlord"));
  landlord::cli::addCommands(registry, landlord::cli::realClusterAccess());
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  landlord::cli::CommandIo io{std::cout, std::cerr, isatty(STDOUT_FILENO) == 1};
  return registry.dispatch(args, io);
}
