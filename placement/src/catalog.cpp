#include "landlord/placement/catalog.h"

#include <stdexcept>

#include "landlord/placement/errors.h"
#include "yaml_reader.h"

namespace landlord::placement {

namespace {

using detail::YamlReader;

GpuModel defaultModel(std::string name, std::string architecture, std::string_view training,
                      std::string_view inference, std::string_view rate,
                      std::vector<std::string> products) {
  return GpuModel{.name = std::move(name),
                  .architecture = std::move(architecture),
                  .trainingEq = H100Eq::parse(training),
                  .inferenceEq = H100Eq::parse(inference),
                  .listRatePerGpuHour = Money::parse(rate),
                  .products = std::move(products)};
}

template <typename Value>
Value parseField(const YamlReader& reader, const YAML::Node& map, const std::string& path,
                 std::string_view key, Value (*parse)(std::string_view)) {
  const std::string fieldPath = YamlReader::join(path, key);
  const YAML::Node node = reader.required(map, path, key);
  const std::string text = reader.scalar(node, fieldPath);
  try {
    return parse(text);
  } catch (const std::invalid_argument& error) {
    reader.fail(node, fieldPath, error.what());
  }
}

GpuModel parseModel(const YamlReader& reader, const YAML::Node& node, const std::string& path) {
  reader.expectMap(node, path);
  reader.allowOnlyKeys(
      node, path,
      {"name", "architecture", "trainingH100Eq", "inferenceH100Eq", "usdPerGpuHour", "products"});
  GpuModel model;
  model.name =
      reader.nonEmptyString(reader.required(node, path, "name"), YamlReader::join(path, "name"));
  model.architecture = reader.nonEmptyString(reader.required(node, path, "architecture"),
                                             YamlReader::join(path, "architecture"));
  model.trainingEq = parseField<H100Eq>(reader, node, path, "trainingH100Eq", &H100Eq::parse);
  model.inferenceEq = parseField<H100Eq>(reader, node, path, "inferenceH100Eq", &H100Eq::parse);
  model.listRatePerGpuHour = parseField<Money>(reader, node, path, "usdPerGpuHour", &Money::parse);
  const std::string productsPath = YamlReader::join(path, "products");
  const YAML::Node products = reader.required(node, path, "products");
  reader.expectSequence(products, productsPath);
  for (std::size_t i = 0; i < products.size(); ++i) {
    model.products.push_back(
        reader.nonEmptyString(products[i], YamlReader::index(productsPath, i)));
  }
  return model;
}

}  // namespace

Catalog::Catalog(std::vector<GpuModel> models) : models_(std::move(models)) {
  if (models_.empty()) {
    throw std::invalid_argument("a catalog needs at least one model");
  }
  for (ModelId id = 0; id < models_.size(); ++id) {
    const GpuModel& model = models_[id];
    const std::string where = "model \"" + model.name + "\"";
    if (model.name.empty()) {
      throw std::invalid_argument("a catalog model has an empty name");
    }
    if (!byName_.emplace(model.name, id).second) {
      throw std::invalid_argument(where + " is listed twice");
    }
    if (model.architecture.empty()) {
      throw std::invalid_argument(where + ": architecture must not be empty");
    }
    if (model.trainingEq.units() <= 0 || model.inferenceEq.units() <= 0) {
      throw std::invalid_argument(where + ": H100-equivalents must be greater than zero");
    }
    if (model.listRatePerGpuHour.micros() <= 0) {
      throw std::invalid_argument(where + ": usdPerGpuHour must be greater than zero");
    }
    if (model.products.empty()) {
      throw std::invalid_argument(where + ": needs at least one product");
    }
    for (const std::string& product : model.products) {
      const auto [existing, inserted] = byProduct_.emplace(product, id);
      if (!inserted) {
        throw std::invalid_argument("product \"" + product + "\" belongs to both model \"" +
                                    models_[existing->second].name + "\" and " + where);
      }
    }
  }
}

Catalog Catalog::defaults() {
  return Catalog({
      defaultModel("A100", "ampere", "0.32", "0.35", "1.30",
                   {"NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-SXM4-40GB", "NVIDIA-A100-80GB-PCIe",
                    "NVIDIA-A100-PCIE-40GB"}),
      defaultModel("H100", "hopper", "1.0", "1.0", "2.20",
                   {"NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-SXM5-80GB", "NVIDIA-H100-PCIe",
                    "NVIDIA-H100-NVL"}),
      defaultModel("H200", "hopper", "1.0", "1.5", "2.90",
                   {"NVIDIA-H200", "NVIDIA-H200-141GB-HBM3e", "NVIDIA-H200-NVL"}),
      defaultModel("B200", "blackwell", "2.25", "2.5", "4.00", {"NVIDIA-B200"}),
      defaultModel("GB200", "blackwell", "2.5", "3.0", "4.60", {"NVIDIA-GB200"}),
  });
}

std::optional<ModelId> Catalog::findProduct(std::string_view product) const {
  const auto found = byProduct_.find(product);
  if (found == byProduct_.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::optional<ModelId> Catalog::findModel(std::string_view name) const {
  const auto found = byName_.find(name);
  if (found == byName_.end()) {
    return std::nullopt;
  }
  return found->second;
}

Catalog parseCatalog(std::string_view yamlText, std::string_view sourceName) {
  const YamlReader reader(sourceName);
  const YAML::Node root = reader.load(yamlText);
  if (!root.IsMap()) {
    reader.fail(root, "", "a catalog file must be a mapping with field models");
  }
  reader.allowOnlyKeys(root, "", {"models"});
  const YAML::Node models = reader.required(root, "", "models");
  reader.expectSequence(models, "models");
  std::vector<GpuModel> parsed;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const std::string path = YamlReader::index("models", i);
    parsed.push_back(parseModel(reader, models[i], path));
    // Validate as each model is added so an error points at the model that caused it.
    try {
      Catalog{parsed};
    } catch (const std::invalid_argument& error) {
      reader.fail(models[i], path, error.what());
    }
  }
  try {
    return Catalog(std::move(parsed));
  } catch (const std::invalid_argument& error) {
    reader.fail(models, "models", error.what());
  }
}

}  // namespace landlord::placement
