#include "landlord/controllers/nodes/selector.h"

#include <algorithm>

namespace landlord::controllers {

namespace {

bool expressionMatches(const json& expression, const std::map<std::string, std::string>& labels) {
  const std::string key = expression.value("key", "");
  const std::string op = expression.value("operator", "");
  const json values = expression.value("values", json::array());
  const auto label = labels.find(key);
  const bool present = label != labels.end();
  const bool listed = present && std::any_of(values.begin(), values.end(), [&](const json& v) {
                        return v.is_string() && v.get<std::string>() == label->second;
                      });
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

bool selectorMatches(const json& selector, const std::map<std::string, std::string>& labels) {
  if (!selector.is_object()) {
    return false;
  }
  const json matchLabels = selector.value("matchLabels", json::object());
  const json expressions = selector.value("matchExpressions", json::array());
  if (matchLabels.empty() && expressions.empty()) {
    return false;
  }
  for (const auto& [key, value] : matchLabels.items()) {
    auto it = labels.find(key);
    if (it == labels.end() || !value.is_string() || it->second != value.get<std::string>()) {
      return false;
    }
  }
  return std::all_of(expressions.begin(), expressions.end(),
                     [&](const json& e) { return expressionMatches(e, labels); });
}

}  // namespace landlord::controllers
