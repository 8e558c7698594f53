#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "landlord/cli/command_registry.h"
#include "landlord/cli/offline_commands.h"

int main(int argc, char** argv) {
  // Named after how it was invoked, so help reads right as `kubectl-landlord` too.
  const std::string program =
      argc > 0 ? std::filesystem::path(argv[0]).filename().string() : std::string("landlord");
  landlord::cli::CommandRegistry registry(program);
  landlord::cli::addOfflineCommands(registry);
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  landlord::cli::CommandIo io{std::cout, std::cerr};
  return registry.dispatch(args, io);
}
