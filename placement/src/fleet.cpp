#include "landlord/placement/fleet.h"

#include <set>

#include "landlord/placement/decimal.h"
#include "landlord/placement/errors.h"
#include "text.h"
#include "yaml_reader.h"

namespace landlord::placement {

namespace {

using detail::YamlReader;

Money parseMoneyField(const YamlReader& reader, const YAML::Node& node, const std::string& path) {
  const std::string text = reader.scalar(node, path);
  try {
    Money value = Money::parse(text);
    if (value.micros() <= 0) {
      reader.fail(node, path, "must be greater than zero, got \"" + text + "\"");
    }
    return value;
  } catch (const std::invalid_argument& error) {
    reader.fail(node, path, error.what());
  }
}

Ratio parseEfficiency(const YamlReader& reader, const YAML::Node& node, const std::string& path) {
  constexpr int kScaleDigits = 6;
  constexpr std::int64_t kOne = 1'000'000;
  const std::string text = reader.scalar(node, path);
  std::int64_t parts = 0;
  try {
    parts = parseDecimal(text, kScaleDigits);
  } catch (const std::invalid_argument& error) {
    reader.fail(node, path, error.what());
  }
  if (parts <= 0 || parts > kOne) {
    reader.fail(node, path, "must be greater than 0 and at most 1, got " + text);
  }
  return Ratio{.numerator = parts, .denominator = kOne};
}

NodeGroupSpec parseGroup(const YamlReader& reader, const YAML::Node& node,
                         const std::string& path) {
  reader.expectMap(node, path);
  reader.allowOnlyKeys(node, path, {"product", "gpus", "gpusPerNode"});
  NodeGroupSpec group;
  group.line = node.Mark().line + 1;
  group.product = reader.nonEmptyString(reader.required(node, path, "product"),
                                        YamlReader::join(path, "product"));
  group.gpus = reader.integer(reader.required(node, path, "gpus"), YamlReader::join(path, "gpus"),
                              1, kMaxGpusPerGroup);
  const YAML::Node perNode = reader.required(node, path, "gpusPerNode");
  group.gpusPerNode = static_cast<std::int32_t>(
      reader.integer(perNode, YamlReader::join(path, "gpusPerNode"), 1, kMaxGpusPerNode));
  if (group.gpus % group.gpusPerNode != 0) {
    reader.fail(node, YamlReader::join(path, "gpus"),
                std::to_string(group.gpus) + " is not a multiple of gpusPerNode " +
                    std::to_string(group.gpusPerNode));
  }
  return group;
}

std::map<std::string, Money> parsePricing(const YamlReader& reader, const YAML::Node& node,
                                          const std::string& path) {
  reader.expectMap(node, path);
  std::map<std::string, Money> pricing;
  for (const auto& entry : node) {
    const std::string model = entry.first.Scalar();
    pricing.emplace(model, parseMoneyField(reader, entry.second, YamlReader::join(path, model)));
  }
  return pricing;
}

PoolSpec parsePool(const YamlReader& reader, const YAML::Node& node, const std::string& path) {
  reader.expectMap(node, path);
  reader.allowOnlyKeys(node, path, {"name", "groups", "observedTrainingEfficiency", "pricing"});
  PoolSpec pool;
  pool.line = node.Mark().line + 1;
  const YAML::Node nameNode = reader.required(node, path, "name");
  pool.name = reader.nonEmptyString(nameNode, YamlReader::join(path, "name"));
  if (!detail::isDns1123Label(pool.name)) {
    reader.fail(nameNode, YamlReader::join(path, "name"),
                detail::quoted(pool.name) +
                    " is not a DNS-1123 label (lowercase letters, digits and '-', "
                    "starting and ending with a letter or digit, at most 63 characters)");
  }
  const std::string groupsPath = YamlReader::join(path, "groups");
  const YAML::Node groups = reader.required(node, path, "groups");
  reader.expectSequence(groups, groupsPath);
  if (groups.size() == 0) {
    reader.fail(groups, groupsPath, "a pool needs at least one group");
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    pool.groups.push_back(parseGroup(reader, groups[i], YamlReader::index(groupsPath, i)));
  }
  if (const YAML::Node efficiency = YamlReader::optional(node, "observedTrainingEfficiency");
      efficiency.IsDefined()) {
    pool.observedTrainingEfficiency =
        parseEfficiency(reader, efficiency, YamlReader::join(path, "observedTrainingEfficiency"));
  }
  if (const YAML::Node pricing = YamlReader::optional(node, "pricing"); pricing.IsDefined()) {
    pool.pricing = parsePricing(reader, pricing, YamlReader::join(path, "pricing"));
  }
  return pool;
}

}  // namespace

std::int64_t PoolSpec::gpus() const {
  std::int64_t total = 0;
  for (const NodeGroupSpec& group : groups) {
    total += group.gpus;
  }
  return total;
}

std::int64_t PoolSpec::nodes() const {
  std::int64_t total = 0;
  for (const NodeGroupSpec& group : groups) {
    total += group.nodes();
  }
  return total;
}

const PoolSpec* FleetSpec::findPool(std::string_view poolName) const {
  for (const PoolSpec& pool : pools) {
    if (pool.name == poolName) {
      return &pool;
    }
  }
  return nullptr;
}

std::int64_t FleetSpec::gpus() const {
  std::int64_t total = 0;
  for (const PoolSpec& pool : pools) {
    total += pool.gpus();
  }
  return total;
}

std::int64_t FleetSpec::nodes() const {
  std::int64_t total = 0;
  for (const PoolSpec& pool : pools) {
    total += pool.nodes();
  }
  return total;
}

FleetSpec parseFleet(std::string_view yamlText, std::string_view sourceName) {
  const YamlReader reader(sourceName);
  const YAML::Node root = reader.load(yamlText);
  if (!root.IsMap()) {
    reader.fail(root, "", "a fleet file must be a mapping with fields name and pools");
  }
  reader.allowOnlyKeys(root, "", {"name", "pools", "trainingValuePerH100EqHour"});
  FleetSpec fleet;
  fleet.source = std::string(sourceName);
  fleet.name = reader.nonEmptyString(reader.required(root, "", "name"), "name");
  if (const YAML::Node value = YamlReader::optional(root, "trainingValuePerH100EqHour");
      value.IsDefined()) {
    fleet.trainingValuePerH100EqHour = parseMoneyField(reader, value, "trainingValuePerH100EqHour");
  }
  const YAML::Node pools = reader.required(root, "", "pools");
  reader.expectSequence(pools, "pools");
  if (pools.size() == 0) {
    reader.fail(pools, "pools", "a fleet needs at least one pool");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < pools.size(); ++i) {
    const std::string path = YamlReader::index("pools", i);
    PoolSpec pool = parsePool(reader, pools[i], path);
    if (!seen.insert(pool.name).second) {
      reader.fail(pools[i]["name"], YamlReader::join(path, "name"),
                  "duplicate pool name \"" + pool.name + "\"");
    }
    fleet.pools.push_back(std::move(pool));
  }
  return fleet;
}

}  // namespace landlord::placement
