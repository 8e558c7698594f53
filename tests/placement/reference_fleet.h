#pragma once

#include "landlord/placement/catalog.h"
#include "landlord/placement/fleet.h"
#include "landlord/placement/resolved_fleet.h"
#include "source_tree.h"

namespace landlord::placement::testing {

inline ResolvedFleet referenceFleet(const Catalog& catalog) {
  return resolveFleet(parseFleet(readRepositoryFile("e2e/fleets/reference.yaml"), "reference.yaml"),
                      catalog);
}

}  // namespace landlord::placement::testing
