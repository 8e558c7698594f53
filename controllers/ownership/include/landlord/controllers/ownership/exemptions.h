#pragma once

// The pods node ownership leaves alone wherever they run: never evicted, never
// counted as another tenant's. The operator's --ownership-exempt-namespaces and
// --ownership-exempt-daemonsets (the chart's nodeOwnership.exempt* values) set them.

#include <set>
#include <string>
#include <string_view>

#include "landlord/controllers/projections/pod.h"

namespace landlord::controllers {

struct OwnershipExemptions {
  std::set<std::string> namespaces = {"kube-system", "kube-node-lease"};
  std::set<std::string> daemonSets;  // "namespace/name"

  bool exempts(std::string_view ns, const PodInfo& pod) const;
};

}  // namespace landlord::controllers
