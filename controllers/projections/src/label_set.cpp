// LabelSet: sorted labels packed into one string.
#include "landlord/controllers/projections/label_set.h"

#include <algorithm>
#include <array>

#include "landlord/operator/base/packed_text.h"
#include "landlord/placement/labels.h"

namespace landlord::controllers {

namespace {

// Keys found on nearly every node of a GPU fleet: Kubernetes' well-known labels,
// NVIDIA GPU Feature Discovery's and landlord's own. Stored as their position
// here; the encoding lives only in memory, so the list may change at any release.
constexpr std::array<std::string_view, 44> kWellKnownKeys{
    "beta.kubernetes.io/arch",
    "beta.kubernetes.io/instance-type",
    "beta.kubernetes.io/os",
    "failure-domain.beta.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
    "kubernetes.io/arch",
    "kubernetes.io/hostname",
    "kubernetes.io/os",
    "node-role.kubernetes.io/control-plane",
    "node.kubernetes.io/exclude-from-external-load-balancers",
    "node.kubernetes.io/instance-type",
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "feature.node.kubernetes.io/pci-10de.present",
    "nvidia.com/cuda.driver-version.full",
    "nvidia.com/cuda.driver-version.major",
    "nvidia.com/cuda.driver-version.minor",
    "nvidia.com/cuda.driver-version.revision",
    "nvidia.com/cuda.driver.major",
    "nvidia.com/cuda.driver.minor",
    "nvidia.com/cuda.driver.rev",
    "nvidia.com/cuda.runtime-version.full",
    "nvidia.com/cuda.runtime-version.major",
    "nvidia.com/cuda.runtime-version.minor",
    "nvidia.com/cuda.runtime.major",
    "nvidia.com/cuda.runtime.minor",
    "nvidia.com/gfd.timestamp",
    "nvidia.com/gpu.compute.major",
    "nvidia.com/gpu.compute.minor",
    placement::kGpuCountLabel,
    "nvidia.com/gpu.deploy.container-toolkit",
    "nvidia.com/gpu.deploy.dcgm-exporter",
    "nvidia.com/gpu.deploy.device-plugin",
    "nvidia.com/gpu.deploy.driver",
    "nvidia.com/gpu.family",
    "nvidia.com/gpu.machine",
    "nvidia.com/gpu.memory",
    "nvidia.com/gpu.present",
    placement::kGpuProductLabel,
    "nvidia.com/gpu.replicas",
    "nvidia.com/mig.capable",
    placement::kPoolLabel,
    placement::kGpuModelLabel,
    placement::kTenantLabel,
};
static_assert(kWellKnownKeys.size() < 0x80, "a well-known key's tag must fit one byte");

// Values found on nearly every node: Kubernetes' own, GPU Feature Discovery's
// and the product and model names of the default catalog. A node's labels are
// mostly these; what tells nodes apart (hostname, pool) is spelled out.
constexpr std::array<std::string_view, 44> kWellKnownValues{
    "true",
    "false",
    "linux",
    "windows",
    "amd64",
    "arm64",
    "kwok",
    "1",
    "2",
    "4",
    "8",
    "16",
    "ampere",
    "hopper",
    "blackwell",
    "A100",
    "H100",
    "H200",
    "B200",
    "GB200",
    "NVIDIA-A100-SXM4-80GB",
    "NVIDIA-A100-SXM4-40GB",
    "NVIDIA-A100-80GB-PCIe",
    "NVIDIA-A100-PCIE-40GB",
    "NVIDIA-H100-80GB-HBM3",
    "NVIDIA-H100-SXM5-80GB",
    "NVIDIA-H100-PCIe",
    "NVIDIA-H100-NVL",
    "NVIDIA-H200",
    "NVIDIA-H200-141GB-HBM3e",
    "NVIDIA-H200-NVL",
    "NVIDIA-B200",
    "NVIDIA-GB200",
    "NVIDIA-GH200-480GB",
    "NVIDIA-L40S",
    "NVIDIA-L4",
    "NVIDIA",
    "mig.strategy.single",
    "single",
    "mixed",
    "none",
    "all-disabled",
    "all-balanced",
    "paused-for-mig-change",
};

// A value's first byte: below kWellKnownValueTag its length (Kubernetes caps
// label values at 63 characters), then the well-known values, and kLongValue
// before a varint length for anything longer than kShortValueLimit.
constexpr unsigned char kWellKnownValueTag = 0x40;
constexpr std::size_t kShortValueLimit = kWellKnownValueTag - 1;
constexpr unsigned char kLongValue = 0xff;
static_assert(kWellKnownValueTag + kWellKnownValues.size() < kLongValue,
              "a well-known value's tag must fit one byte");

void appendValue(std::string& out, std::string_view value) {
  const auto it = std::find(kWellKnownValues.begin(), kWellKnownValues.end(), value);
  if (it != kWellKnownValues.end()) {
    out.push_back(static_cast<char>(kWellKnownValueTag + (it - kWellKnownValues.begin())));
  } else if (value.size() <= kShortValueLimit) {
    out.push_back(static_cast<char>(value.size()));
    out.append(value);
  } else {
    out.push_back(static_cast<char>(kLongValue));
    kube::packed::appendText(out, value);
  }
}

std::string_view readValue(const char*& at) {
  const auto tag = static_cast<unsigned char>(*at++);
  if (tag < kWellKnownValueTag) {
    const std::string_view value(at, tag);
    at += tag;
    return value;
  }
  if (tag == kLongValue) {
    return kube::packed::readText(at);
  }
  return kWellKnownValues[tag - kWellKnownValueTag];
}

std::size_t wellKnownTag(std::string_view key) {
  const auto it = std::find(kWellKnownKeys.begin(), kWellKnownKeys.end(), key);
  return it == kWellKnownKeys.end() ? 0 : static_cast<std::size_t>(it - kWellKnownKeys.begin()) + 1;
}

void appendKey(std::string& out, std::string_view key) {
  if (const std::size_t tag = wellKnownTag(key)) {
    out.push_back(static_cast<char>(tag));
    return;
  }
  out.push_back('\0');
  kube::packed::appendText(out, key);
}

std::string_view readKey(const char*& at) {
  const auto tag = static_cast<unsigned char>(*at++);
  return tag != 0 ? kWellKnownKeys[tag - 1] : kube::packed::readText(at);
}

std::string encode(std::vector<std::pair<std::string, std::string>> labels) {
  // Stable, so that of two equal keys the later (kept below) is the later given.
  std::stable_sort(labels.begin(), labels.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i + 1 < labels.size() && labels[i + 1].first == labels[i].first) {
      continue;
    }
    appendKey(out, labels[i].first);
    appendValue(out, labels[i].second);
  }
  return out;
}

}  // namespace

LabelSet::Label LabelSet::Record::read(const char*& at) {
  const std::string_view key = readKey(at);
  return {key, readValue(at)};
}

LabelSet::LabelSet(std::initializer_list<std::pair<std::string, std::string>> labels)
    : LabelSet(std::vector<std::pair<std::string, std::string>>(labels)) {}

LabelSet::LabelSet(const std::map<std::string, std::string>& labels)
    : LabelSet(std::vector<std::pair<std::string, std::string>>(labels.begin(), labels.end())) {}

LabelSet::LabelSet(std::vector<std::pair<std::string, std::string>> labels)
    : encoded_(encode(std::move(labels))) {}

std::optional<std::string_view> LabelSet::get(std::string_view key) const {
  for (const auto& [labelKey, value] : *this) {
    if (labelKey == key) {
      return value;
    }
    if (labelKey > key) {
      break;
    }
  }
  return std::nullopt;
}

std::size_t LabelSet::size() const {
  return static_cast<std::size_t>(std::distance(begin(), end()));
}

std::map<std::string, std::string> LabelSet::toMap() const {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : *this) {
    out.emplace(key, value);
  }
  return out;
}

std::size_t LabelSet::heapBytes() const {
  return encoded_.heapBytes();
}

}  // namespace landlord::controllers
