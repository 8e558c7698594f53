#include "lease_report.h"

#include <ostream>
#include <stdexcept>

#include "format.h"
#include "landlord/placement/money.h"
#include "landlord_objects.h"
#include "table.h"

namespace landlord::cli {

namespace {

using nlohmann::json;
using placement::Money;

std::string at(const json& object, const char* pointer) {
  return objects::text(object, pointer);
}

std::optional<Money> money(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  try {
    return Money::parse(text);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

// "$5,720.00", or the raw text when it is not a price, or "-" when absent.
std::string dollars(const std::string& text, int places) {
  const auto parsed = money(text);
  return parsed ? parsed->format(places) : (text.empty() ? "-" : text);
}

std::string joined(const json& array) {
  std::string text;
  if (!array.is_array()) {
    return text;
  }
  for (const json& item : array) {
    if (item.is_string()) {
      text += text.empty() ? "" : ",";
      text += item.get<std::string>();
    }
  }
  return text;
}

// A lease earns while it holds its pool: Active, or Releasing until its handover
// ends. Other phases earn nothing, whatever rate their status still shows.
bool earns(const json& lease) {
  const std::string phase = at(lease, "/status/phase");
  return phase == "Active" || phase == "Releasing";
}

std::string earning(const json& lease, const char* pointer, int places) {
  return earns(lease) ? dollars(at(lease, pointer), places) : "-";
}

Money leasedHourly(const ClusterSnapshot& snapshot) {
  Money total;
  for (const json& lease : snapshot.leases) {
    if (earns(lease)) {
      total += money(at(lease, "/status/hourlyRate")).value_or(Money{});
    }
  }
  return total;
}

}  // namespace

void printLeaseReport(const ClusterSnapshot& snapshot, std::ostream& out) {
  out << "\nLeases\n\n";
  if (snapshot.leases.empty()) {
    out << "No PoolLease exists: every pool is available.\n";
  } else {
    Table leases({{"LEASE"},
                  {"POOL"},
                  {"TENANT"},
                  {"PURPOSE"},
                  {"PHASE"},
                  {"SUPERSEDES"},
                  {"GPUS", Align::Right},
                  {"$/GPU-H", Align::Right},
                  {"HOURLY", Align::Right},
                  {"ANNUAL", Align::Right}});
    for (const json& lease : snapshot.leases) {
      const std::string rate = at(lease, "/status/ratePerGPUHour");
      leases.addRow({at(lease, "/metadata/name"), at(lease, "/spec/pool"),
                     at(lease, "/spec/tenant"), at(lease, "/spec/purpose"),
                     at(lease, "/status/phase").empty() ? "-" : at(lease, "/status/phase"),
                     at(lease, "/spec/supersedes").empty() ? "-" : at(lease, "/spec/supersedes"),
                     grouped(objects::count(lease, "/status/gpus")),
                     rate.empty() ? "-" : dollars(rate, 4), earning(lease, "/status/hourlyRate", 2),
                     earning(lease, "/status/annualisedRevenue", 0)});
    }
    leases.print(out);
    const Money hourly = leasedHourly(snapshot);
    out << "\nLease revenue: " << hourly.format() << " an hour, "
        << hourly.times(placement::kHoursPerYear).format(0) << " a year\n";
  }
  out << "\nTenants\n\n";
  if (snapshot.tenants.empty()) {
    out << "No Tenant exists.\n";
    return;
  }
  Table tenants({{"TENANT"},
                 {"NAMESPACES"},
                 {"QUALIFIED"},
                 {"LEASES", Align::Right},
                 {"GPUS", Align::Right},
                 {"HOURLY SPEND", Align::Right},
                 {"ANNUAL SPEND", Align::Right}});
  for (const json& tenant : snapshot.tenants) {
    tenants.addRow({at(tenant, "/metadata/name"), joined(objects::list(tenant, "/spec/namespaces")),
                    joined(objects::list(tenant, "/spec/qualifiedArchitectures")),
                    grouped(objects::count(tenant, "/status/activeLeases")),
                    grouped(objects::count(tenant, "/status/gpus")),
                    dollars(at(tenant, "/status/hourlySpend"), 2),
                    dollars(at(tenant, "/status/annualisedSpend"), 0)});
  }
  tenants.print(out);
}

void addLeaseReportJson(const ClusterSnapshot& snapshot, nlohmann::ordered_json& report) {
  nlohmann::ordered_json leases = nlohmann::ordered_json::array();
  for (const json& lease : snapshot.leases) {
    leases.push_back({{"name", at(lease, "/metadata/name")},
                      {"pool", at(lease, "/spec/pool")},
                      {"tenant", at(lease, "/spec/tenant")},
                      {"purpose", at(lease, "/spec/purpose")},
                      {"phase", at(lease, "/status/phase")},
                      {"supersedes", at(lease, "/spec/supersedes")},
                      {"gpus", objects::count(lease, "/status/gpus")},
                      {"usdPerGpuHour", at(lease, "/status/ratePerGPUHour")},
                      {"hourlyUsd", earns(lease) ? at(lease, "/status/hourlyRate") : "0"},
                      {"annualUsd", earns(lease) ? at(lease, "/status/annualisedRevenue") : "0"}});
  }
  const Money hourly = leasedHourly(snapshot);
  report["leases"] = leases;
  report["leaseTotals"] = {{"hourlyUsd", hourly.plain(2)},
                           {"annualUsd", hourly.times(placement::kHoursPerYear).plain(2)}};
  nlohmann::ordered_json tenants = nlohmann::ordered_json::array();
  for (const json& tenant : snapshot.tenants) {
    tenants.push_back({{"name", at(tenant, "/metadata/name")},
                       {"activeLeases", objects::count(tenant, "/status/activeLeases")},
                       {"gpus", objects::count(tenant, "/status/gpus")},
                       {"hourlyUsd", at(tenant, "/status/hourlySpend")},
                       {"annualUsd", at(tenant, "/status/annualisedSpend")}});
  }
  report["tenants"] = tenants;
}

}  // namespace landlord::cli
