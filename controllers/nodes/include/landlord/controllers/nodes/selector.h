#pragma once

#include <map>
#include <string>

#include "landlord/controllers/api.h"

namespace landlord::controllers {

// Whether labels satisfy a metav1.LabelSelector (matchLabels and matchExpressions,
// ANDed). An empty selector matches nothing: a pool never claims every node.
bool selectorMatches(const json& selector, const std::map<std::string, std::string>& labels);

}  // namespace landlord::controllers
