#include "landlord/operator/metrics/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <variant>

namespace landlord::kube::metrics {

namespace {

bool isValidMetricName(const std::string& name) {
  if (name.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) {
      return false;
    }
  }
  return true;
}

bool isValidLabelName(const std::string& name) {
  if (name.empty() || name.rfind("__", 0) == 0 || name == "le") {
    return false;
  }
  return name.find(':') == std::string::npos && isValidMetricName(name);
}

void addAtomic(std::atomic<double>& target, double amount) {
  double current = target.load();
  while (!target.compare_exchange_weak(current, current + amount)) {
  }
}

std::string labelText(const std::vector<std::string>& names, const LabelValues& values,
                      const std::string& extraName = "", const std::string& extraValue = "") {
  if (names.empty() && extraName.empty()) {
    return "";
  }
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += names[i] + "=\"" + escapeLabelValue(values[i]) + "\"";
  }
  if (!extraName.empty()) {
    if (!names.empty()) {
      out += ',';
    }
    out += extraName + "=\"" + escapeLabelValue(extraValue) + "\"";
  }
  return out + "}";
}

void writeHeader(std::string& out, const std::string& name, const std::string& help,
                 const char* type) {
  out += "# HELP " + name + " " + escapeHelp(help) + "\n";
  out += "# TYPE " + name + " " + type + "\n";
}

template <typename Metric>
bool hasChildren(const Family<Metric>& family) {
  bool any = false;
  family.forEach([&](const LabelValues&, const Metric&) { any = true; });
  return any;
}

}  // namespace

std::string escapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escapeHelp(const std::string& help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string formatValue(double v) {
  if (std::isnan(v)) {
    return "NaN";
  }
  if (std::isinf(v)) {
    return v > 0 ? "+Inf" : "-Inf";
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
  return std::string(buffer, result.ptr);
}

std::vector<double> exponentialBuckets(double start, double factor, int count) {
  if (count < 1 || start <= 0 || factor <= 1) {
    throw std::invalid_argument("exponentialBuckets needs count >= 1, start > 0 and factor > 1");
  }
  std::vector<double> buckets;
  buckets.reserve(static_cast<std::size_t>(count));
  double bound = start;
  for (int i = 0; i < count; ++i) {
    buckets.push_back(bound);
    bound *= factor;
  }
  return buckets;
}

void Counter::inc(double amount) {
  if (amount < 0) {
    throw std::invalid_argument("counter increment must not be negative, got " +
                                formatValue(amount));
  }
  addAtomic(value_, amount);
}

void Gauge::inc(double amount) {
  addAtomic(value_, amount);
}

Histogram::Histogram(std::vector<double> upperBounds)
    : upperBounds_(std::move(upperBounds)), counts_(upperBounds_.size() + 1, 0) {
  if (!std::is_sorted(upperBounds_.begin(), upperBounds_.end()) ||
      std::adjacent_find(upperBounds_.begin(), upperBounds_.end()) != upperBounds_.end()) {
    throw std::invalid_argument("histogram bucket bounds must be strictly ascending");
  }
}

void Histogram::observe(double v) {
  // The first bucket whose upper bound is >= v; the last slot is +Inf.
  const auto index = static_cast<std::size_t>(
      std::lower_bound(upperBounds_.begin(), upperBounds_.end(), v) - upperBounds_.begin());
  std::lock_guard lock(mutex_);
  ++counts_[index];
  sum_ += v;
  ++count_;
}

Histogram::Snapshot Histogram::snapshot() const {
  std::lock_guard lock(mutex_);
  return Snapshot{upperBounds_, counts_, sum_, count_};
}

template <typename Metric>
Metric& Family<Metric>::withLabels(const LabelValues& values) {
  if (values.size() != labelNames_.size()) {
    throw std::invalid_argument("metric " + name_ + " has " + std::to_string(labelNames_.size()) +
                                " labels, got " + std::to_string(values.size()) + " values");
  }
  std::lock_guard lock(mutex_);
  auto& child = children_[values];
  if (!child) {
    child = make_();
  }
  return *child;
}

template <typename Metric>
void Family<Metric>::forEach(
    const std::function<void(const LabelValues&, const Metric&)>& fn) const {
  std::lock_guard lock(mutex_);
  for (const auto& [values, metric] : children_) {
    fn(values, *metric);
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct Registry::Entry {
  std::variant<std::unique_ptr<CounterFamily>, std::unique_ptr<GaugeFamily>,
               std::unique_ptr<HistogramFamily>>
      family;
  std::vector<double> upperBounds;  // histograms only
};

Registry::Registry() = default;
Registry::~Registry() = default;

namespace {

void validateNames(const std::string& name, const std::vector<std::string>& labelNames) {
  if (!isValidMetricName(name)) {
    throw std::invalid_argument("invalid metric name \"" + name + "\"");
  }
  for (const auto& label : labelNames) {
    if (!isValidLabelName(label)) {
      throw std::invalid_argument("invalid label name \"" + label + "\" on metric " + name);
    }
  }
}

}  // namespace

namespace {

// The family registered under a name, created on first use. Registering the
// same name again must agree on type, help, labels and buckets.
template <class Family, class EntryT, class MakeMetric>
Family& findOrRegister(std::unique_ptr<EntryT>& entry, const std::string& name,
                       const std::string& help, const std::vector<std::string>& labelNames,
                       const std::vector<double>& upperBounds, MakeMetric makeMetric) {
  if (!entry) {
    entry = std::make_unique<EntryT>();
    entry->upperBounds = upperBounds;
    entry->family = std::make_unique<Family>(name, help, labelNames, std::move(makeMetric));
  }
  auto* existing = std::get_if<std::unique_ptr<Family>>(&entry->family);
  if (!existing || (*existing)->help() != help || (*existing)->labelNames() != labelNames ||
      entry->upperBounds != upperBounds) {
    throw std::invalid_argument("metric " + name +
                                " is already registered with a different type, help, labels or "
                                "buckets");
  }
  if (labelNames.empty()) {
    (*existing)->withLabels({});
  }
  return **existing;
}

}  // namespace

CounterFamily& Registry::counter(const std::string& name, const std::string& help,
                                 const std::vector<std::string>& labelNames) {
  validateNames(name, labelNames);
  std::lock_guard lock(mutex_);
  return findOrRegister<CounterFamily>(families_[name], name, help, labelNames, {},
                                       [] { return std::make_unique<Counter>(); });
}

GaugeFamily& Registry::gauge(const std::string& name, const std::string& help,
                             const std::vector<std::string>& labelNames) {
  validateNames(name, labelNames);
  std::lock_guard lock(mutex_);
  return findOrRegister<GaugeFamily>(families_[name], name, help, labelNames, {},
                                     [] { return std::make_unique<Gauge>(); });
}

HistogramFamily& Registry::histogram(const std::string& name, const std::string& help,
                                     const std::vector<std::string>& labelNames,
                                     std::vector<double> upperBounds) {
  validateNames(name, labelNames);
  Histogram probe(upperBounds);  // validates the bounds before anything is registered
  std::lock_guard lock(mutex_);
  return findOrRegister<HistogramFamily>(
      families_[name], name, help, labelNames, upperBounds,
      [upperBounds] { return std::make_unique<Histogram>(upperBounds); });
}

CollectHookRegistration Registry::onCollect(std::function<void()> hook) {
  std::lock_guard lock(hooksMutex_);
  const std::uint64_t id = nextHookId_++;
  hooks_.emplace(id, std::move(hook));
  return CollectHookRegistration(this, id);
}

void Registry::removeCollectHook(std::uint64_t id) {
  std::lock_guard lock(hooksMutex_);
  hooks_.erase(id);
}

std::string Registry::expose() const {
  {
    std::lock_guard lock(hooksMutex_);
    for (const auto& [id, hook] : hooks_) {
      hook();
    }
  }
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, entry] : families_) {
    if (const auto* counters = std::get_if<std::unique_ptr<CounterFamily>>(&entry->family)) {
      const CounterFamily& family = **counters;
      if (!hasChildren(family)) {
        continue;
      }
      writeHeader(out, name, family.help(), "counter");
      family.forEach([&](const LabelValues& values, const Counter& c) {
        out += name + labelText(family.labelNames(), values) + " " + formatValue(c.value()) + "\n";
      });
    } else if (const auto* gauges = std::get_if<std::unique_ptr<GaugeFamily>>(&entry->family)) {
      const GaugeFamily& family = **gauges;
      if (!hasChildren(family)) {
        continue;
      }
      writeHeader(out, name, family.help(), "gauge");
      family.forEach([&](const LabelValues& values, const Gauge& g) {
        out += name + labelText(family.labelNames(), values) + " " + formatValue(g.value()) + "\n";
      });
    } else {
      const HistogramFamily& family = *std::get<std::unique_ptr<HistogramFamily>>(entry->family);
      if (!hasChildren(family)) {
        continue;
      }
      writeHeader(out, name, family.help(), "histogram");
      family.forEach([&](const LabelValues& values, const Histogram& h) {
        const Histogram::Snapshot s = h.snapshot();
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i <= s.upperBounds.size(); ++i) {
          cumulative += s.bucketCounts[i];
          const std::string le =
              i < s.upperBounds.size() ? formatValue(s.upperBounds[i]) : std::string("+Inf");
          out += name + "_bucket" + labelText(family.labelNames(), values, "le", le) + " " +
                 std::to_string(cumulative) + "\n";
        }
        const std::string labels = labelText(family.labelNames(), values);
        out += name + "_sum" + labels + " " + formatValue(s.sum) + "\n";
        out += name + "_count" + labels + " " + std::to_string(s.count) + "\n";
      });
    }
  }
  return out;
}

CollectHookRegistration::CollectHookRegistration(CollectHookRegistration&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)), id_(other.id_) {}

CollectHookRegistration& CollectHookRegistration::operator=(
    CollectHookRegistration&& other) noexcept {
  if (this != &other) {
    if (registry_ != nullptr) {
      registry_->removeCollectHook(id_);
    }
    registry_ = std::exchange(other.registry_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

CollectHookRegistration::~CollectHookRegistration() {
  if (registry_ != nullptr) {
    registry_->removeCollectHook(id_);
  }
}

}  // namespace landlord::kube::metrics
