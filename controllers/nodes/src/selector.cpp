// Label selector matching: matchLabels and matchExpressions, ANDed; empty matches nothing.
#include "landlord/controllers/nodes/selector.h"

#include <algorithm>

namespace landlord::controllers {

namespace {

bool expressionMatches(const api::LabelSelectorRequirement& expression, const LabelSet& labels) {
  const std::string& op = expression.operator_;
  const auto label = labels.get(expression.key);
  const bool present = label.has_value();
  const bool listed = present && std::find(expression.values.begin(), expression.values.end(),
                                           *label) != expression.values.end();
  if (op == "In") {
    return listed;
  }
  if (op == "NotIn") {
    return !listed;
  }
  if (op == "Exists") {
    return present;
  }
  if (op == "DoesNotExist") {
    return !present;
  }
  return false;  // unknown operator: select nothing rather than guess
}

}  // namespace

bool selectorMatches(const api::LabelSelector& selector, const LabelSet& labels) {
  if (selector.empty()) {
    return false;
  }
  for (const auto& [key, value] : selector.matchLabels) {
    if (labels.get(key) != value) {
      return false;
    }
  }
  return std::all_of(
      selector.matchExpressions.begin(), selector.matchExpressions.end(),
      [&](const api::LabelSelectorRequirement& e) { return expressionMatches(e, labels); });
}

}  // namespace landlord::controllers
