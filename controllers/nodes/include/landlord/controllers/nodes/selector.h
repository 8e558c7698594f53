#pragma once

// metav1.LabelSelector matching, as the API server does it, for a pool's nodeSelector.

#include <map>
#include <string>

#include "landlord/api/v1alpha1/meta.h"

namespace landlord::controllers {

// Whether labels satisfy a label selector (matchLabels and matchExpressions,
// ANDed). An empty selector matches nothing: a pool never claims every node.
bool selectorMatches(const api::LabelSelector& selector,
                     const std::map<std::string, std::string>& labels);

}  // namespace landlord::controllers
