// The pods node ownership leaves alone: exempt namespaces and system DaemonSets.
#include "landlord/controllers/ownership/exemptions.h"

#include <regex>
#include <sstream>
#include <stdexcept>

namespace landlord::controllers {

namespace {

// A namespace name (DNS-1123 label).
bool isNamespaceName(const std::string& text) {
  static const std::regex label("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  return text.size() <= 63 && std::regex_match(text, label);
}

std::set<std::string> entries(const std::string& list) {
  std::set<std::string> out;
  std::stringstream in(list);
  std::string entry;
  while (std::getline(in, entry, ',')) {
    const auto first = entry.find_first_not_of(' ');
    const auto last = entry.find_last_not_of(' ');
    if (first != std::string::npos) {
      out.insert(entry.substr(first, last - first + 1));
    }
  }
  return out;
}

}  // namespace

bool OwnershipExemptions::exempts(std::string_view ns, const PodInfo& pod) const {
  const std::string name(ns);
  if (namespaces.contains(name)) {
    return true;
  }
  return !pod.daemonSet.empty() && daemonSets.contains(name + "/" + pod.daemonSet);
}

std::set<std::string> OwnershipExemptions::parseNamespaces(const std::string& list) {
  std::set<std::string> out = entries(list);
  for (const std::string& ns : out) {
    if (!isNamespaceName(ns)) {
      throw std::invalid_argument("\"" + ns + "\" is not a namespace name");
    }
  }
  return out;
}

std::set<std::string> OwnershipExemptions::parseDaemonSets(const std::string& list) {
  std::set<std::string> out = entries(list);
  for (const std::string& daemonSet : out) {
    const std::size_t slash = daemonSet.find('/');
    if (slash == std::string::npos || !isNamespaceName(daemonSet.substr(0, slash)) ||
        slash + 1 == daemonSet.size() || daemonSet.find('/', slash + 1) != std::string::npos) {
      throw std::invalid_argument("\"" + daemonSet + "\" is not namespace/name of a DaemonSet");
    }
  }
  return out;
}

}  // namespace landlord::controllers
