#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace landlord::placement::testing {

// Files checked into the repository (e.g. e2e/fleets/*.yaml), found relative to
// this header so the tests run from any build directory.
inline std::filesystem::path repositoryRoot() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
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
