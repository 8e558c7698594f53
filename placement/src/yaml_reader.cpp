#include "yaml_reader.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "landlord/placement/errors.h"
#include "text.h"

namespace landlord::placement::detail {

namespace {

int lineOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 1 : mark.line + 1;
}

std::string describeType(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return quoted(node.Scalar());
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

std::string prefixed(std::string_view path, std::string_view reason) {
  if (path.empty()) {
    return std::string(reason);
  }
  return std::string(path) + ": " + std::string(reason);
}

}  // namespace

YAML::Node YamlReader::load(std::string_view text) const {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    const int line = error.mark.is_null() ? 1 : error.mark.line + 1;
    throw ParseError(source_, line, "invalid YAML: " + error.msg);
  }
}

void YamlReader::fail(const YAML::Node& at, std::string_view path, std::string_view reason) const {
  throw ParseError(source_, lineOf(at), prefixed(path, reason));
}

void YamlReader::expectMap(const YAML::Node& node, std::string_view path) const {
  if (!node.IsMap()) {
    fail(node, path, "expected a mapping, got " + describeType(node));
  }
}

void YamlReader::expectSequence(const YAML::Node& node, std::string_view path) const {
  if (!node.IsSequence()) {
    fail(node, path, "expected a list, got " + describeType(node));
  }
}

void YamlReader::allowOnlyKeys(const YAML::Node& map, std::string_view path,
                               std::initializer_list<std::string_view> keys) const {
  std::vector<std::string> seen;
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      fail(entry.first, join(path, key), "field is given twice");
    }
    seen.push_back(key);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string allowed;
      for (std::string_view candidate : keys) {
        allowed += allowed.empty() ? "" : ", ";
        allowed += candidate;
      }
      fail(entry.first, join(path, key), "unknown field (allowed: " + allowed + ")");
    }
  }
}

YAML::Node YamlReader::required(const YAML::Node& map, std::string_view path,
                                std::string_view key) const {
  YAML::Node value = optional(map, key);
  if (!value.IsDefined() || value.IsNull()) {
    fail(map, join(path, key), "required field is missing");
  }
  return value;
}

YAML::Node YamlReader::optional(const YAML::Node& map, std::string_view key) {
  const YAML::Node& constMap = map;  // const lookup never inserts
  return constMap[std::string(key)];
}

std::string YamlReader::scalar(const YAML::Node& node, std::string_view path) const {
  if (!node.IsScalar()) {
    fail(node, path, "expected a single value, got " + describeType(node));
  }
  return node.Scalar();
}

std::string YamlReader::nonEmptyString(const YAML::Node& node, std::string_view path) const {
  std::string value = scalar(node, path);
  if (value.empty()) {
    fail(node, path, "must not be empty");
  }
  return value;
}

std::int64_t YamlReader::integer(const YAML::Node& node, std::string_view path, std::int64_t min,
                                 std::int64_t max) const {
  const std::string text = scalar(node, path);
  const bool digitsOnly =
      !text.empty() && text.size() <= 18 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digitsOnly) {
    fail(node, path, "expected a whole number, got \"" + text + "\"");
  }
  const std::int64_t value = std::stoll(text);
  if (value < min || value > max) {
    fail(
        node, path,
        "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + text);
  }
  return value;
}

std::string YamlReader::join(std::string_view path, std::string_view key) {
  if (path.empty()) {
    return std::string(key);
  }
  return std::string(path) + "." + std::string(key);
}

std::string YamlReader::index(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

bool isDns1123Label(std::string_view name) {
  if (name.empty() || name.size() > 63) {
    return false;
  }
  const auto alphanumeric = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alphanumeric(name.front()) || !alphanumeric(name.back())) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [&](char c) { return alphanumeric(c) || c == '-'; });
}

}  // namespace landlord::placement::detail
