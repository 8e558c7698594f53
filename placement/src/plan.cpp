#include "landlord/placement/plan.h"

#include <set>

#include "landlord/placement/decimal.h"
#include "landlord/placement/errors.h"
#include "yaml_reader.h"

namespace landlord::placement {

namespace {

using detail::YamlReader;

std::vector<std::string> stringList(const YamlReader& reader, const YAML::Node& node,
                                    const std::string& path) {
  reader.expectSequence(node, path);
  std::vector<std::string> items;
  for (std::size_t i = 0; i < node.size(); ++i) {
    items.push_back(reader.nonEmptyString(node[i], YamlReader::index(path, i)));
  }
  return items;
}

TenantProfile parseTenant(const YamlReader& reader, const YAML::Node& node,
                          const std::string& path) {
  reader.expectMap(node, path);
  reader.allowOnlyKeys(node, path, {"name", "qualifiedArchitectures"});
  TenantProfile tenant;
  tenant.name =
      reader.nonEmptyString(reader.required(node, path, "name"), YamlReader::join(path, "name"));
  tenant.qualifiedArchitectures =
      stringList(reader, reader.required(node, path, "qualifiedArchitectures"),
                 YamlReader::join(path, "qualifiedArchitectures"));
  return tenant;
}

LeaseSpec parseLease(const YamlReader& reader, const YAML::Node& node, const std::string& path) {
  reader.expectMap(node, path);
  reader.allowOnlyKeys(node, path, {"name", "pool", "tenant", "purpose", "ratePerGPUHour"});
  LeaseSpec lease;
  lease.line = node.Mark().line + 1;
  lease.pool =
      reader.nonEmptyString(reader.required(node, path, "pool"), YamlReader::join(path, "pool"));
  lease.tenant = reader.nonEmptyString(reader.required(node, path, "tenant"),
                                       YamlReader::join(path, "tenant"));
  lease.name = lease.tenant + "-" + lease.pool;
  if (const YAML::Node name = YamlReader::optional(node, "name"); name.IsDefined()) {
    lease.name = reader.nonEmptyString(name, YamlReader::join(path, "name"));
  }
  if (const YAML::Node purpose = YamlReader::optional(node, "purpose"); purpose.IsDefined()) {
    const std::string purposePath = YamlReader::join(path, "purpose");
    const std::string text = reader.scalar(purpose, purposePath);
    const auto parsed = parseLeasePurpose(text);
    if (!parsed) {
      reader.fail(purpose, purposePath, "must be inference, training or any, got \"" + text + "\"");
    }
    lease.purpose = *parsed;
  }
  if (const YAML::Node rate = YamlReader::optional(node, "ratePerGPUHour"); rate.IsDefined()) {
    const std::string ratePath = YamlReader::join(path, "ratePerGPUHour");
    const std::string text = reader.scalar(rate, ratePath);
    try {
      lease.ratePerGpuHour = Money::parse(text);
    } catch (const std::invalid_argument& error) {
      reader.fail(rate, ratePath, error.what());
    }
    if (lease.ratePerGpuHour->micros() <= 0) {
      reader.fail(rate, ratePath, "must be greater than zero");
    }
  }
  return lease;
}

RequestSpec parseRequest(const YamlReader& reader, const YAML::Node& node,
                         const std::string& path) {
  reader.expectMap(node, path);
  reader.allowOnlyKeys(node, path, {"name", "tenant", "workloadType", "gpus", "allowedModels"});
  RequestSpec spec;
  spec.line = node.Mark().line + 1;
  PlacementRequest& request = spec.request;
  request.name =
      reader.nonEmptyString(reader.required(node, path, "name"), YamlReader::join(path, "name"));
  request.tenant = reader.nonEmptyString(reader.required(node, path, "tenant"),
                                         YamlReader::join(path, "tenant"));
  const std::string typePath = YamlReader::join(path, "workloadType");
  const YAML::Node type = reader.required(node, path, "workloadType");
  const std::string typeText = reader.scalar(type, typePath);
  const auto workload = parseWorkloadType(typeText);
  if (!workload) {
    reader.fail(type, typePath, "must be training or inference, got \"" + typeText + "\"");
  }
  request.workload = *workload;
  request.gpus = reader.integer(reader.required(node, path, "gpus"), YamlReader::join(path, "gpus"),
                                1, 1'000'000'000);
  if (const YAML::Node models = YamlReader::optional(node, "allowedModels"); models.IsDefined()) {
    request.allowedModels = stringList(reader, models, YamlReader::join(path, "allowedModels"));
  }
  return spec;
}

template <typename Item, typename Parse>
std::vector<Item> parseList(const YamlReader& reader, const YAML::Node& root, const char* key,
                            Parse parse) {
  std::vector<Item> items;
  const YAML::Node list = YamlReader::optional(root, key);
  if (!list.IsDefined() || list.IsNull()) {
    return items;
  }
  reader.expectSequence(list, key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    items.push_back(parse(reader, list[i], YamlReader::index(key, i)));
  }
  return items;
}

[[noreturn]] void failAt(const std::string& source, int line, const std::string& reason) {
  throw ResolveError(source + ":" + std::to_string(line) + ": " + reason);
}

}  // namespace

PlanSpec parsePlan(std::string_view yamlText, std::string_view sourceName) {
  const YamlReader reader(sourceName);
  const YAML::Node root = reader.load(yamlText);
  if (!root.IsMap()) {
    reader.fail(root, "", "a plan file must be a mapping with fields tenants, leases, requests");
  }
  reader.allowOnlyKeys(root, "", {"tenants", "leases", "requests"});
  PlanSpec plan;
  plan.source = std::string(sourceName);
  plan.tenants = parseList<TenantProfile>(reader, root, "tenants", parseTenant);
  plan.leases = parseList<LeaseSpec>(reader, root, "leases", parseLease);
  plan.requests = parseList<RequestSpec>(reader, root, "requests", parseRequest);
  return plan;
}

PlanResult runPlan(const PlanSpec& plan, const ResolvedFleet& fleet, const Catalog& catalog) {
  const auto tenantOf = [&](const std::string& name) -> const TenantProfile* {
    for (const TenantProfile& tenant : plan.tenants) {
      if (tenant.name == name) {
        return &tenant;
      }
    }
    return nullptr;
  };
  std::vector<LeaseFacts> held;
  std::vector<LeasedPool> leased;
  for (const LeaseSpec& lease : plan.leases) {
    const ResolvedPool* pool = fleet.findPool(lease.pool);
    if (pool == nullptr) {
      failAt(plan.source, lease.line,
             "lease " + lease.name + ": pool \"" + lease.pool + "\" is not in fleet " + fleet.name);
    }
    if (tenantOf(lease.tenant) == nullptr) {
      failAt(plan.source, lease.line,
             "lease " + lease.name + ": tenant \"" + lease.tenant + "\" is not listed in tenants");
    }
    const LeaseFacts facts{.name = lease.name,
                           .pool = lease.pool,
                           .tenant = lease.tenant,
                           .phase = LeasePhase::Pending,
                           .supersedes = std::nullopt};
    const ExclusivityVerdict verdict = checkExclusivity(facts, held);
    if (verdict.outcome == ExclusivityOutcome::Reject) {
      failAt(plan.source, lease.line, "lease " + lease.name + ": " + verdict.reason);
    }
    held.push_back(facts);
    held.back().phase = LeasePhase::Active;
    leased.push_back(
        leasedPoolFrom(lease.pool, pool->metrics, facts, lease.purpose, lease.ratePerGpuHour));
  }
  PlanResult result{.placements = {}, .ledger = CapacityLedger(std::move(leased))};
  for (const RequestSpec& spec : plan.requests) {
    const TenantProfile* tenant = tenantOf(spec.request.tenant);
    if (tenant == nullptr) {
      failAt(plan.source, spec.line,
             "request " + spec.request.name + ": tenant \"" + spec.request.tenant +
                 "\" is not listed in tenants");
    }
    PlacementDecision decision = place(spec.request, *tenant, result.ledger, catalog);
    if (decision.placed) {
      result.ledger.reserve(decision.allocations);
    }
    result.placements.push_back({.request = spec.request, .decision = std::move(decision)});
  }
  return result;
}

}  // namespace landlord::placement
