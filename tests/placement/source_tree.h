#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace landlord::placement::testing {

// Files checked into the repository (e.g. e2e/fleets/*.yaml), wherever the
// build directory is and whichever directory ctest runs the test from.
inline std::filesystem::path repositoryRoot() {
  return LANDLORD_REPOSITORY_ROOT;
}

inline std::string readRepositoryFile(const std::string& relativePath) {
  std::ifstream in(repositoryRoot() / relativePath);
  if (!in) {
    throw std::runtime_error("cannot read " + relativePath);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace landlord::placement::testing
