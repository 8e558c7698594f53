// The live cluster's leases with what they earn, and its tenants with what they spend.
#include "lease_report.h"

#include <ostream>
#include <stdexcept>

#include "format.h"
#include "landlord/placement/money.h"
#include "table.h"

namespace landlord::cli {

namespace {

using placement::Money;

// "$5,720.00", or the raw text when it is not a price, or "-" when absent.
std::string dollars(const std::string& text, int places) {
  const auto parsed = moneyOrNone(text);
  return parsed ? parsed->format(places) : (text.empty() ? "-" : text);
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    text += text.empty() ? "" : ",";
    text += item;
  }
  return text;
}

// "-" for what a half-reconciled object does not have yet.
std::string orDash(const std::string& text) {
  return text.empty() ? "-" : text;
}

// A lease earns while it holds its pool: Active, or Releasing until its handover
// ends. Other phases earn nothing, whatever rate their status still shows.
bool earns(const api::PoolLease& lease) {
  return lease.status.phase == "Active" || lease.status.phase == "Releasing";
}

std::string earning(const api::PoolLease& lease, const std::string& amount, int places) {
  return earns(lease) ? dollars(amount, places) : "-";
}

Money leasedHourly(const ClusterSnapshot& snapshot) {
  Money total;
  for (const api::PoolLease& lease : snapshot.leases) {
    if (earns(lease)) {
      total += moneyOrNone(lease.status.hourlyRate).value_or(Money{});
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
    for (const api::PoolLease& lease : snapshot.leases) {
      const std::string& rate = lease.status.ratePerGPUHour;
      leases.addRow({lease.metadata.name, lease.spec.pool, lease.spec.tenant, lease.spec.purpose,
                     orDash(lease.status.phase), orDash(lease.spec.supersedes),
                     grouped(lease.status.gpus.value_or(0)), rate.empty() ? "-" : dollars(rate, 4),
                     earning(lease, lease.status.hourlyRate, 2),
                     earning(lease, lease.status.annualisedRevenue, 0)});
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
  for (const api::Tenant& tenant : snapshot.tenants) {
    tenants.addRow({tenant.metadata.name, joined(tenant.spec.namespaces),
                    joined(tenant.spec.qualifiedArchitectures),
                    grouped(tenant.status.activeLeases.value_or(0)),
                    grouped(tenant.status.gpus.value_or(0)), dollars(tenant.status.hourlySpend, 2),
                    dollars(tenant.status.annualisedSpend, 0)});
  }
  tenants.print(out);
}

void addLeaseReportJson(const ClusterSnapshot& snapshot, nlohmann::ordered_json& report) {
  nlohmann::ordered_json leases = nlohmann::ordered_json::array();
  for (const api::PoolLease& lease : snapshot.leases) {
    leases.push_back({{"name", lease.metadata.name},
                      {"pool", lease.spec.pool},
                      {"tenant", lease.spec.tenant},
                      {"purpose", lease.spec.purpose},
                      {"phase", lease.status.phase},
                      {"supersedes", lease.spec.supersedes},
                      {"gpus", lease.status.gpus.value_or(0)},
                      {"usdPerGpuHour", lease.status.ratePerGPUHour},
                      {"hourlyUsd", earns(lease) ? lease.status.hourlyRate : "0"},
                      {"annualUsd", earns(lease) ? lease.status.annualisedRevenue : "0"}});
  }
  const Money hourly = leasedHourly(snapshot);
  report["leases"] = leases;
  report["leaseTotals"] = {{"hourlyUsd", hourly.plain(2)},
                           {"annualUsd", hourly.times(placement::kHoursPerYear).plain(2)}};
  nlohmann::ordered_json tenants = nlohmann::ordered_json::array();
  for (const api::Tenant& tenant : snapshot.tenants) {
    tenants.push_back({{"name", tenant.metadata.name},
                       {"activeLeases", tenant.status.activeLeases.value_or(0)},
                       {"gpus", tenant.status.gpus.value_or(0)},
                       {"hourlyUsd", tenant.status.hourlySpend},
                       {"annualUsd", tenant.status.annualisedSpend}});
  }
  report["tenants"] = tenants;
}

}  // namespace landlord::cli
