#include "offline_inputs.h"

#include "files.h"

namespace landlord::cli {

OptionSpec fleetOption() {
  return {.name = "fleet",
          .shortName = 'f',
          .valueName = "FILE",
          .help = "fleet YAML (pools and their GPU groups)",
          .required = true,
          .defaultValue = std::nullopt,
          .choices = {}};
}

OptionSpec fleetOrClusterOption() {
  OptionSpec fleet = fleetOption();
  fleet.required = false;
  fleet.help = "fleet YAML; without it, the GPUPools of the live cluster";
  return fleet;
}

OptionSpec catalogOption() {
  return {.name = "catalog",
          .shortName = '\0',
          .valueName = "FILE",
          .help = "GPU catalog YAML replacing the built-in defaults",
          .required = false,
          .defaultValue = std::nullopt,
          .choices = {}};
}

OptionSpec outputOption() {
  return {.name = "output",
          .shortName = 'o',
          .valueName = "FORMAT",
          .help = "table or json",
          .required = false,
          .defaultValue = "table",
          .choices = {"table", "json"}};
}

placement::Catalog loadCatalog(const Arguments& arguments) {
  const auto path = arguments.optional("catalog");
  if (!path) {
    return placement::Catalog::defaults();
  }
  return placement::parseCatalog(readTextFile(*path), *path);
}

placement::ResolvedFleet loadFleet(const Arguments& arguments, const placement::Catalog& catalog) {
  const std::string& path = arguments.value("fleet");
  return placement::resolveFleet(placement::parseFleet(readTextFile(path), path), catalog);
}

placement::PlanSpec loadPlan(const std::string& path) {
  return placement::parsePlan(readTextFile(path), path);
}

bool wantsJson(const Arguments& arguments) {
  return arguments.value("output") == "json";
}

}  // namespace landlord::cli
