// The pods node ownership leaves alone: exempt namespaces and system DaemonSets.
#include "landlord/controllers/ownership/exemptions.h"

namespace landlord::controllers {

bool OwnershipExemptions::exempts(std::string_view ns, const PodInfo& pod) const {
  const std::string name(ns);
  if (namespaces.contains(name)) {
    return true;
  }
  return !pod.daemonSet.empty() && daemonSets.contains(name + "/" + pod.daemonSet);
}

}  // namespace landlord::controllers
