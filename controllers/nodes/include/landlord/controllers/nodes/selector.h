#pragma once

// metav1.LabelSelector matching, as the API server does it, for a pool's nodeSelector.

#include "landlord/api/v1alpha1/meta.h"
#include "landlord/controllers/projections/label_set.h"

namespace landlord::controllers {

// Whether labels satisfy a label selector (matchLabels and matchExpressions,
// ANDed). An empty selector matches nothing: a pool never claims every node.
bool selectorMatches(const api::LabelSelector& selector, const LabelSet& labels);

}  // namespace landlord::controllers
