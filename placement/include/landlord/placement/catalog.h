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

// Index of a model in its Catalog; stable for the catalog's lifetime.
using ModelId = std::uint32_t;

struct GpuModel {
  std::string name;          // "H100"
  std::string architecture;  // "hopper"; what tenants qualify their software stack for
  H100Eq trainingEq;         // synchronous-training speed relative to one H100
  H100Eq inferenceEq;        // inference throughput relative to one H100
  Money listRatePerGpuHour;
  // GPU Feature Discovery `nvidia.com/gpu.product` values that are this model.
  std::vector<std::string> products;
};

// The GPU models landlord knows. Products map to models by exact match only: an
// unknown product is reported as unknown, never guessed from a prefix.
class Catalog {
 public:
  // Validates: at least one model, unique model names and products, positive
  // factors and prices. Throws std::invalid_argument naming the model and field.
  explicit Catalog(std::vector<GpuModel> models);

  // The defaults of DESIGN.md: A100, H100, H200, B200, GB200.
  static Catalog defaults();

  std::size_t size() const { return models_.size(); }
  const std::vector<GpuModel>& models() const { return models_; }
  const GpuModel& model(ModelId id) const { return models_.at(id); }
  std::optional<ModelId> findProduct(std::string_view product) const;
  std::optional<ModelId> findModel(std::string_view name) const;

 private:
  std::vector<GpuModel> models_;
  std::map<std::string, ModelId, std::less<>> byProduct_;
  std::map<std::string, ModelId, std::less<>> byName_;
};

// Parses a catalog file:
//   models:
//     - name: H100
//       architecture: hopper
//       trainingH100Eq: "1.0"
//       inferenceH100Eq: "1.0"
//       usdPerGpuHour: "2.20"
//       products: [NVIDIA-H100-80GB-HBM3, NVIDIA-H100-SXM5-80GB]
// Throws ParseError "SOURCE:LINE: models[i].field: reason".
Catalog parseCatalog(std::string_view yamlText, std::string_view sourceName);

}  // namespace landlord::placement
