#pragma once

#include <string>

namespace landlord::cli {

// The whole file as text; throws CommandError "cannot read PATH: reason".
std::string readTextFile(const std::string& path);

}  // namespace landlord::cli
