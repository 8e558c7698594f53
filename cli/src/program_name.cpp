#include "landlord/cli/program_name.h"

#include <algorithm>
#include <filesystem>

namespace landlord::cli {

namespace {
constexpr std::string_view kKubectlPluginPrefix = "kubectl-";
}

std::string programName(std::string_view argv0) {
  const std::string file = std::filesystem::path(argv0).filename().string();
  if (file.empty()) {
    return "landlord";
  }
  if (!file.starts_with(kKubectlPluginPrefix) || file.size() == kKubectlPluginPrefix.size()) {
    return file;
  }
  // kubectl runs `kubectl landlord` as the executable kubectl-landlord on PATH (and
  // `kubectl a b` as kubectl-a-b), so what the user typed is the plugin's name
  // with its dashes read as spaces.
  std::string plugin = file.substr(kKubectlPluginPrefix.size());
  std::replace(plugin.begin(), plugin.end(), '-', ' ');
  return "kubectl " + plugin;
}

}  // namespace landlord::cli
