#include "hollow_node.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "landlord/placement/labels.h"

namespace landlord::hollow {

std::string productSlug(std::string_view product) {
  constexpr std::string_view vendorPrefix = "NVIDIA-";
  if (product.starts_with(vendorPrefix)) {
    product.remove_prefix(vendorPrefix.size());
  }
  std::string slug(product.substr(0, product.find('-')));
  std::transform(slug.begin(), slug.end(), slug.begin(),
                 [](unsigned char c) { return std::isalnum(c) ? std::tolower(c) : '-'; });
  return slug.empty() ? "gpu" : slug;
}

std::string hollowNodeName(std::string_view pool, std::string_view product, std::int64_t index) {
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "%05lld", static_cast<long long>(index));
  return std::string(pool) + "-" + productSlug(product) + "-" + suffix;
}

nlohmann::json hollowNode(std::string_view pool, const placement::NodeGroupSpec& group,
                          std::int64_t index) {
  const std::string name = hollowNodeName(pool, group.product, index);
  const std::string gpus = std::to_string(group.gpusPerNode);
  const nlohmann::json resources = {{"cpu", "128"},
                                    {"memory", "2Ti"},
                                    {"pods", "110"},
                                    {std::string(placement::kGpuResource), gpus}};
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata",
           {{"name", name},
            {"labels",
             {{std::string(kHollowLabel), std::string(kHollowLabelValue)},
              {std::string(kPoolLabel), std::string(pool)},
              {"kubernetes.io/hostname", name},
              {"kubernetes.io/os", "linux"},
              {"kubernetes.io/arch", "amd64"},
              {"nvidia.com/gpu.present", "true"},
              {std::string(placement::kGpuProductLabel), group.product},
              {std::string(placement::kGpuCountLabel), gpus}}},
            {"annotations", {{std::string(kKwokAnnotation), "fake"}}}}},
          {"spec", nlohmann::json::object()},
          {"status",
           {{"capacity", resources},
            {"allocatable", resources},
            {"phase", "Running"},
            {"conditions",
             {{{"type", "Ready"},
               {"status", "True"},
               {"reason", "KubeletReady"},
               {"message", "hollow node simulated by kwok"}}}},
            {"nodeInfo",
             {{"architecture", "amd64"},
              {"operatingSystem", "linux"},
              {"kubeletVersion", "kwok"},
              {"containerRuntimeVersion", "kwok"},
              {"kernelVersion", "kwok"},
              {"osImage", "hollow"},
              {"machineID", ""},
              {"systemUUID", ""},
              {"bootID", ""},
              {"kubeProxyVersion", ""}}}}}};
}

std::string hollowNodeSelector(std::string_view pool) {
  std::string selector = std::string(kHollowLabel) + "=" + std::string(kHollowLabelValue);
  if (!pool.empty()) {
    selector += "," + std::string(kPoolLabel) + "=" + std::string(pool);
  }
  return selector;
}

}  // namespace landlord::hollow
