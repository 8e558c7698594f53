#pragma once

// A small Prometheus metrics registry: counters, gauges and histograms with
// labels, exposed in the text exposition format 0.0.4.
//
// Why not prometheus-cpp: it is not packaged in Debian 12 and landlord builds
// only from distribution packages, so this is the minimal, thread-safe subset
// the runtime needs. Names and semantics follow the Prometheus client
// libraries so that a later switch is mechanical.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace landlord::kube::metrics {

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  // Throws std::invalid_argument for a negative increment: counters only go up.
  void inc(double amount = 1.0);
  double value() const { return value_.load(); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v); }
  void inc(double amount = 1.0);
  void dec(double amount = 1.0) { inc(-amount); }
  double value() const { return value_.load(); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  struct Snapshot {
    std::vector<double> upperBounds;          // ascending, without +Inf
    std::vector<std::uint64_t> bucketCounts;  // non-cumulative, one per bound, then +Inf
    double sum = 0.0;
    std::uint64_t count = 0;
  };

  explicit Histogram(std::vector<double> upperBounds);
  void observe(double v);
  Snapshot snapshot() const;

 private:
  const std::vector<double> upperBounds_;
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> counts_;  // guarded by mutex_
  double sum_ = 0.0;                   // guarded by mutex_
  std::uint64_t count_ = 0;            // guarded by mutex_
};

// A metric family: one name, one help text, a fixed list of label names, and
// one child per distinct list of label values. Children live as long as the
// family, so references returned by withLabels() stay valid.
template <typename Metric>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> labelNames,
         std::function<std::unique_ptr<Metric>()> make)
      : name_(std::move(name)),
        help_(std::move(help)),
        labelNames_(std::move(labelNames)),
        make_(std::move(make)) {}

  // Throws std::invalid_argument when the number of values differs from the
  // number of label names.
  Metric& withLabels(const LabelValues& values);
  // The one child of a family without labels.
  Metric& unlabelled() { return withLabels({}); }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& labelNames() const { return labelNames_; }

  // Calls fn(labelValues, metric) for every child, ordered by label values.
  void forEach(const std::function<void(const LabelValues&, const Metric&)>& fn) const;

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> labelNames_;
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Metric>> children_;  // guarded by mutex_
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Ascending bucket bounds start, start*factor, ... (count of them), as
// prometheus.ExponentialBuckets.
std::vector<double> exponentialBuckets(double start, double factor, int count);

class Registry;

// Unregisters a collect hook when destroyed.
class CollectHookRegistration {
 public:
  CollectHookRegistration() = default;
  CollectHookRegistration(Registry* registry, std::uint64_t id) : registry_(registry), id_(id) {}
  CollectHookRegistration(CollectHookRegistration&& other) noexcept;
  CollectHookRegistration& operator=(CollectHookRegistration&& other) noexcept;
  CollectHookRegistration(const CollectHookRegistration&) = delete;
  CollectHookRegistration& operator=(const CollectHookRegistration&) = delete;
  ~CollectHookRegistration();

 private:
  Registry* registry_ = nullptr;
  std::uint64_t id_ = 0;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registering a name twice returns the existing family when type, help and
  // label names agree, and throws std::invalid_argument otherwise. Invalid
  // metric or label names throw std::invalid_argument.
  CounterFamily& counter(const std::string& name, const std::string& help,
                         const std::vector<std::string>& labelNames = {});
  GaugeFamily& gauge(const std::string& name, const std::string& help,
                     const std::vector<std::string>& labelNames = {});
  HistogramFamily& histogram(const std::string& name, const std::string& help,
                             const std::vector<std::string>& labelNames,
                             std::vector<double> upperBounds);

  // `hook` runs at the start of every expose(), to refresh values that are
  // computed rather than counted (e.g. the age of the oldest in-flight item).
  [[nodiscard]] CollectHookRegistration onCollect(std::function<void()> hook);

  // Text exposition format 0.0.4, families ordered by name. Families without
  // children are omitted; label-less families always have their one child.
  std::string expose() const;

 private:
  friend class CollectHookRegistration;
  void removeCollectHook(std::uint64_t id);

  struct Entry;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>> families_;  // guarded by mutex_

  mutable std::mutex hooksMutex_;
  std::map<std::uint64_t, std::function<void()>> hooks_;  // guarded by hooksMutex_
  std::uint64_t nextHookId_ = 1;                          // guarded by hooksMutex_
};

// The content type of expose()'s output.
inline constexpr const char* kTextExpositionContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// Escapes a label value (backslash, double quote, newline) for the text format.
std::string escapeLabelValue(const std::string& value);
// Escapes a HELP text (backslash, newline).
std::string escapeHelp(const std::string& help);
// Formats a sample value: integers without a fraction, +Inf, -Inf, NaN,
// otherwise the shortest representation that round-trips.
std::string formatValue(double v);

}  // namespace landlord::kube::metrics
