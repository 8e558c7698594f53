#pragma once

#include <string>
#include <string_view>

namespace landlord::cli {

// The name usage text shows, from argv[0]: "kubectl landlord" when kubectl runs
// this binary as its plugin kubectl-landlord, else the file name ("landlord").
std::string programName(std::string_view argv0);

}  // namespace landlord::cli
