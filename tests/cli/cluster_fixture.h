#pragma once

// A live cluster for CLI tests: a FakeClient holding the 1/100 reference fleet as the
// operator reports it, and a clock that moves only when a command sleeps, running
// the next scripted change of the world each time.

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "landlord/api/v1alpha1/resources.h"
#include "landlord/cli/cluster.h"
#include "landlord/cli/command_registry.h"
#include "landlord/cli/commands.h"
#include "landlord/testing/fake_client.h"

namespace landlord::cli::testing {

using nlohmann::json;

struct Outcome {
  int exitCode;
  std::string out;
  std::string err;
};

class FakeCluster {
 public:
  FakeCluster() : client_(std::make_shared<kube::FakeClient>()) {}

  kube::FakeClient& client() { return *client_; }

  // Tenants owner and lessee; colossus-1 (mixed) and colossus-2 (GB200), both
  // leased to the owner and Active, counted as the operator counts the 1/100 fleet.
  void addReferenceFleet() {
    addTenant("owner", "owner-training", "10727.20", 2);
    addTenant("lessee", "lessee-inference", "0", 0);
    addPool("colossus-1", "owner-colossus-1", "owner",
            json::array({model("H100", "hopper", 188, 1504, "1504", "1504", "2.2"),
                         model("H200", "hopper", 62, 496, "496", "744", "2.9"),
                         model("GB200", "blackwell", 50, 200, "500", "600", "4.6")}),
            "2500");
    addPool("colossus-2", "owner-colossus-2", "owner",
            json::array({model("GB200", "blackwell", 275, 1100, "2750", "3300", "4.6")}), "2750");
    addLease("owner-colossus-1", "colossus-1", "owner", "training", "",
             activeStatus(300, 2200, "2.576", "5667.20", "49644672.00"));
    addLease("owner-colossus-2", "colossus-2", "owner", "training", "",
             activeStatus(275, 1100, "4.6", "5060.00", "44325600.00"));
  }

  void addTenant(const std::string& name, const std::string& ns, const std::string& hourlySpend,
                 int activeLeases) {
    client_->create(
        api::tenants(), "",
        {{"apiVersion", api::kApiVersion},
         {"kind", "Tenant"},
         {"metadata", {{"name", name}}},
         {"spec", {{"namespaces", {ns}}, {"qualifiedArchitectures", {"hopper", "blackwell"}}}},
         {"status",
          {{"activeLeases", activeLeases},
           {"gpus", activeLeases == 0 ? 0 : 3300},
           {"hourlySpend", hourlySpend}}}});
  }

  static json model(const std::string& name, const std::string& architecture, int nodes, int gpus,
                    const std::string& training, const std::string& inference,
                    const std::string& rate) {
    return {{"model", name},
            {"architecture", architecture},
            {"nodes", nodes},
            {"gpus", gpus},
            {"trainingH100Equivalents", training},
            {"inferenceH100Equivalents", inference},
            {"ratePerGPUHour", rate}};
  }

  void addPool(const std::string& name, const std::string& lease, const std::string& tenant,
               const json& composition, const std::string& trainingEq) {
    json status = {{"composition", composition}, {"h100Equivalents", {{"training", trainingEq}}}};
    status["phase"] = lease.empty() ? "Available" : "Leased";
    if (!lease.empty()) {
      status["lease"] = {{"name", lease}, {"tenant", tenant}};
    }
    client_->create(api::gpuPools(), "",
                    {{"apiVersion", api::kApiVersion},
                     {"kind", "GPUPool"},
                     {"metadata", {{"name", name}}},
                     {"spec", json::object()},
                     {"status", status}});
  }

  static json activeStatus(int nodes, int gpus, const std::string& rate, const std::string& hourly,
                           const std::string& annual) {
    return {{"phase", "Active"},      {"nodes", nodes},       {"gpus", gpus},
            {"ratePerGPUHour", rate}, {"hourlyRate", hourly}, {"annualisedRevenue", annual}};
  }

  void addLease(const std::string& name, const std::string& pool, const std::string& tenant,
                const std::string& purpose, const std::string& supersedes, const json& status) {
    json spec = {{"pool", pool}, {"tenant", tenant}, {"purpose", purpose}};
    if (!supersedes.empty()) {
      spec["supersedes"] = supersedes;
    }
    json lease = {{"apiVersion", api::kApiVersion},
                  {"kind", "PoolLease"},
                  {"metadata", {{"name", name}}},
                  {"spec", spec}};
    if (!status.is_null()) {
      lease["status"] = status;
    }
    client_->create(api::poolLeases(), "", lease);
  }

  void setStatus(const kube::GroupVersionResource& resource, const std::string& name,
                 const json& status) {
    json object = client_->get(resource, "", name);
    object["status"] = status;
    client_->update(resource, object);
  }

  // Each sleep of a command advances the clock by the pause and runs the next change.
  void script(std::vector<std::function<void()>> changes) {
    changes_.assign(changes.begin(), changes.end());
  }

  ClusterAccess access() {
    return ClusterAccess{.connect =
                             [client = client_](const ClusterTarget&) {
                               return ClusterConnection{.client = client, .name = "test-cluster"};
                             },
                         .pacer = Pacer{.now = [this] { return now_; },
                                        .sleep =
                                            [this](std::chrono::milliseconds pause) {
                                              now_ += pause;
                                              ++sleeps_;
                                              if (!changes_.empty()) {
                                                auto change = std::move(changes_.front());
                                                changes_.pop_front();
                                                change();
                                              }
                                            }},
                         .wallClock = [this] { return wallClockStart() + (now_ - startedAt_); }};
  }

  // The wall clock at the start of a test (it moves on with the sleeps): 26 November
  // 2026, noon UTC.
  static std::chrono::system_clock::time_point wallClockStart() {
    using namespace std::chrono;
    return sys_days{year(2026) / November / 26} + hours(12);
  }

  int sleeps() const { return sleeps_; }

  Outcome run(const std::vector<std::string>& args, bool terminal = false) {
    CommandRegistry registry("landlord");
    addCommands(registry, access());
    std::ostringstream out;
    std::ostringstream err;
    CommandIo io{out, err, terminal};
    const int exitCode = registry.dispatch(args, io);
    return {exitCode, out.str(), err.str()};
  }

 private:
  std::shared_ptr<kube::FakeClient> client_;
  std::chrono::steady_clock::time_point startedAt_{};
  std::chrono::steady_clock::time_point now_ = startedAt_;
  int sleeps_ = 0;
  std::deque<std::function<void()>> changes_;
};

}  // namespace landlord::cli::testing
