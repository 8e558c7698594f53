#pragma once

#include <filesystem>
#include <string>

namespace landlord::cli::testing {

// A file of the repository, wherever ctest runs the test from.
inline std::string repositoryPath(const std::string& relative) {
  return (std::filesystem::path(LANDLORD_REPOSITORY_ROOT) / relative).string();
}

}  // namespace landlord::cli::testing
