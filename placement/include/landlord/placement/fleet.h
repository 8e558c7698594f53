#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/placement/money.h"
#include "landlord/placement/quantities.h"

namespace landlord::placement {

// A fleet file describes pools by GPU Feature Discovery product and counts only;
// it does not need the catalog (the hollow-node tool reads it too). Resolving
// products to catalog models is a separate step (see pool_spec_resolver.h).

struct NodeGroupSpec {    // one GPU model in one pool
  std::string product;    // GPU Feature Discovery product string, e.g. "NVIDIA-H100-80GB-HBM3"
  std::int64_t gpus = 0;  // total GPUs of this group
  std::int32_t gpusPerNode = 0;  // GPUs per node; gpus is a multiple of it
  int line = 0;                  // where the group starts in its source, for later errors

  std::int64_t nodes() const { return gpus / gpusPerNode; }
};

struct PoolSpec {
  std::string name;  // DNS-1123 label, unique in the fleet
  std::vector<NodeGroupSpec> groups;
  // Measured training efficiency (e.g. MFU relative to a homogeneous baseline),
  // 0 < x <= 1; when set the advisor uses it instead of the straggler model.
  std::optional<Ratio> observedTrainingEfficiency;
  // USD per GPU-hour by catalog model name ("H100"), overriding the catalog list price.
  std::map<std::string, Money> pricing;
  int line = 0;

  std::int64_t gpus() const;
  std::int64_t nodes() const;
};

struct FleetSpec {
  std::string name;
  std::vector<PoolSpec> pools;
  // What one training H100-equivalent-hour is worth to the owner; when absent the
  // advisor uses the catalog's H100 list rate.
  std::optional<Money> trainingValuePerH100EqHour;
  std::string source;  // the sourceName given to parseFleet

  const PoolSpec* findPool(std::string_view poolName) const;
  std::int64_t gpus() const;
  std::int64_t nodes() const;
};

inline constexpr std::int64_t kMaxGpusPerGroup = 100'000'000;
inline constexpr std::int32_t kMaxGpusPerNode = 64;

// Parses and validates a fleet file. Throws ParseError whose what() is
// "SOURCE:LINE: field.path: reason".
FleetSpec parseFleet(std::string_view yamlText, std::string_view sourceName);

}  // namespace landlord::placement
