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
  std::set<std::string> namespaces = {"kube-system"};
  std::set<std::string> daemonSets;  // "namespace/name"

  bool exempts(std::string_view ns, const PodInfo& pod) const;

  // "a,b,c" into namespaces; "ns/name,ns/name" into daemonSets. Throws
  // std::invalid_argument naming the entry that is not a namespace or ns/name.
  static std::set<std::string> parseNamespaces(const std::string& list);
  static std::set<std::string> parseDaemonSets(const std::string& list);
};

}  // namespace landlord::controllers
