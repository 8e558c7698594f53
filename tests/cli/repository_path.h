#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace landlord::cli::testing {

// A file of the repository, wherever ctest runs the test from. Ninja compiles with
// paths relative to the build directory, so a relative __FILE__ is resolved against
// the build directory: two levels above this executable (BUILD/tests/cli_tests).
inline std::string repositoryPath(const std::string& relative) {
  std::filesystem::path source(__FILE__);
  if (source.is_relative()) {
    source = std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / source;
  }
  return (source.lexically_normal().parent_path().parent_path().parent_path() / relative).string();
}

}  // namespace landlord::cli::testing
