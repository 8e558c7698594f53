#include "landlord/placement/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "landlord/placement/errors.h"
#include "source_tree.h"

namespace landlord::placement {
namespace {

using ::testing::HasSubstr;

TEST(CatalogTest, DefaultsMatchDesign) {
  const Catalog catalog = Catalog::defaults();
  ASSERT_EQ(catalog.size(), 5u);
  const GpuModel& gb200 = catalog.model(*catalog.findModel("GB200"));
  EXPECT_EQ(gb200.architecture, "blackwell");
  EXPECT_EQ(gb200.trainingEq, H100Eq::parse("2.5"));
  EXPECT_EQ(gb200.inferenceEq, H100Eq::parse("3.0"));
  EXPECT_EQ(gb200.listRatePerGpuHour, Money::parse("4.60"));
  const GpuModel& a100 = catalog.model(*catalog.findModel("A100"));
  EXPECT_EQ(a100.trainingEq.units(), 3'200);
  EXPECT_EQ(a100.listRatePerGpuHour.micros(), 1'300'000);
}

TEST(CatalogTest, ExampleCatalogFileEqualsBuiltInDefaults) {
  const Catalog parsed =
      parseCatalog(testing::readRepositoryFile("cli/examples/catalog.yaml"), "catalog.yaml");
  const Catalog defaults = Catalog::defaults();
  ASSERT_EQ(parsed.size(), defaults.size());
  for (ModelId id = 0; id < defaults.size(); ++id) {
    const GpuModel& a = parsed.model(id);
    const GpuModel& b = defaults.model(id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.architecture, b.architecture);
    EXPECT_EQ(a.trainingEq, b.trainingEq);
    EXPECT_EQ(a.inferenceEq, b.inferenceEq);
    EXPECT_EQ(a.listRatePerGpuHour, b.listRatePerGpuHour);
    EXPECT_EQ(a.products, b.products);
  }
}

// The chart mounts .Values.catalog as the operator's --catalog: it must parse, and
// it ships the same models as the built-in catalog.
TEST(CatalogTest, HelmChartCatalogEqualsBuiltInDefaults) {
  std::istringstream values(testing::readRepositoryFile("helm/landlord/values.yaml"));
  std::string line;
  std::string block;
  bool inCatalog = false;
  while (std::getline(values, line)) {
    if (line.rfind("catalog:", 0) == 0) {
      inCatalog = true;
      continue;
    }
    if (inCatalog && !line.empty() && line[0] != ' ' && line[0] != '#') {
      break;  // the next top-level key
    }
    if (inCatalog && line.rfind("  ", 0) == 0) {
      block += line.substr(2) + "\n";
    }
  }
  ASSERT_FALSE(block.empty()) << "no catalog: block in helm/landlord/values.yaml";
  const Catalog parsed = parseCatalog(block, "helm/landlord/values.yaml catalog");
  const Catalog defaults = Catalog::defaults();
  ASSERT_EQ(parsed.size(), defaults.size());
  for (ModelId id = 0; id < defaults.size(); ++id) {
    EXPECT_EQ(parsed.model(id).name, defaults.model(id).name);
    EXPECT_EQ(parsed.model(id).trainingEq, defaults.model(id).trainingEq);
    EXPECT_EQ(parsed.model(id).inferenceEq, defaults.model(id).inferenceEq);
    EXPECT_EQ(parsed.model(id).listRatePerGpuHour, defaults.model(id).listRatePerGpuHour);
    EXPECT_EQ(parsed.model(id).products, defaults.model(id).products);
  }
}

TEST(CatalogTest, MapsFeatureDiscoveryProductsExactly) {
  const Catalog catalog = Catalog::defaults();
  for (const auto& [product, model] :
       std::vector<std::pair<std::string, std::string>>{{"NVIDIA-H100-80GB-HBM3", "H100"},
                                                        {"NVIDIA-H100-SXM5-80GB", "H100"},
                                                        {"NVIDIA-H200", "H200"},
                                                        {"NVIDIA-GB200", "GB200"},
                                                        {"NVIDIA-B200", "B200"},
                                                        {"NVIDIA-A100-SXM4-80GB", "A100"}}) {
    const auto id = catalog.findProduct(product);
    ASSERT_TRUE(id.has_value()) << product;
    EXPECT_EQ(catalog.model(*id).name, model) << product;
  }
}

TEST(CatalogTest, UnknownProductIsNeverGuessed) {
  const Catalog catalog = Catalog::defaults();
  EXPECT_FALSE(catalog.findProduct("NVIDIA-H100-80GB-HBM3-NEW").has_value());
  EXPECT_FALSE(catalog.findProduct("nvidia-h100-80gb-hbm3").has_value());
  EXPECT_FALSE(catalog.findProduct("NVIDIA-H20").has_value());
  EXPECT_FALSE(catalog.findProduct("").has_value());
}

constexpr std::string_view kCatalog = R"(models:
  - name: H100
    architecture: hopper
    trainingH100Eq: "1.0"
    inferenceH100Eq: "1.0"
    usdPerGpuHour: "2.10"
    products: [NVIDIA-H100-80GB-HBM3]
  - name: R100
    architecture: rubin
    trainingH100Eq: 5
    inferenceH100Eq: 6.5
    usdPerGpuHour: 9.99
    products: [NVIDIA-R100]
)";

TEST(CatalogTest, ParsesYamlExactly) {
  const Catalog catalog = parseCatalog(kCatalog, "catalog.yaml");
  ASSERT_EQ(catalog.size(), 2u);
  const GpuModel& rubin = catalog.model(*catalog.findProduct("NVIDIA-R100"));
  EXPECT_EQ(rubin.architecture, "rubin");
  EXPECT_EQ(rubin.inferenceEq.units(), 65'000);
  EXPECT_EQ(rubin.listRatePerGpuHour.micros(), 9'990'000);
  EXPECT_EQ(catalog.model(0).listRatePerGpuHour.micros(), 2'100'000);
}

std::string catalogError(std::string_view yaml) {
  try {
    parseCatalog(yaml, "catalog.yaml");
  } catch (const ParseError& error) {
    return error.what();
  }
  return "no error";
}

TEST(CatalogTest, RejectsMalformedCatalogWithFileLineAndReason) {
  std::string badRate(kCatalog);
  badRate.replace(badRate.find("9.99"), 4, "9.9.9");
  EXPECT_THAT(catalogError(badRate),
              HasSubstr("catalog.yaml:12: models[1].usdPerGpuHour: expected a plain decimal"));
  std::string missing(kCatalog);
  missing.erase(missing.find("    architecture: rubin\n"), 24);
  EXPECT_EQ(catalogError(missing),
            "catalog.yaml:8: models[1].architecture: required field is missing");
  std::string duplicate(kCatalog);
  duplicate.replace(duplicate.find("NVIDIA-R100"), 11, "NVIDIA-H100-80GB-HBM3");
  EXPECT_THAT(catalogError(duplicate),
              HasSubstr("catalog.yaml:8: models[1]: product \"NVIDIA-H100-80GB-HBM3\" belongs to "
                        "both model \"H100\" and "
                        "model \"R100\""));
  std::string zero(kCatalog);
  zero.replace(zero.find("trainingH100Eq: 5"), 17, "trainingH100Eq: 0");
  EXPECT_EQ(catalogError(zero),
            "catalog.yaml:8: models[1]: model \"R100\": H100-equivalents must be greater than "
            "zero");
  EXPECT_THAT(catalogError("models: {}\n"), HasSubstr("catalog.yaml:1: models: expected a list"));
  EXPECT_THAT(catalogError("models: []\n"), HasSubstr("at least one model"));
}

}  // namespace
}  // namespace landlord::placement
