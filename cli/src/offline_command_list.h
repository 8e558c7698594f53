#pragma once

#include "landlord/cli/command_registry.h"

namespace landlord::cli {

Command reportCommand();
Command planCommand();
Command adviseCommand();

}  // namespace landlord::cli
