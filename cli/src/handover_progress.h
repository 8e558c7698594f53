#pragma once

// Where a handover stands, read from its two leases, and the progress line that shows it.

#include <nlohmann/json.hpp>
#include <string>

namespace landlord::cli {

enum class HandoverState { InProgress, Active, Failed };

// Where a handover stands, read from the status of its two leases. The six steps of
// the operator (the old lease's Cordon, Evict, Unlabel, then the new lease's Label,
// Taint, Uncordon) each weigh a sixth; a step in flight counts its done share.
struct HandoverView {
  HandoverState state = HandoverState::InProgress;
  int percent = 0;
  std::string activity;  // "Evicting 130/250 pods of lease owner-colossus-1"
  std::string failure;   // when Failed: which lease failed and why, from its conditions
  std::string failedLease;
};

// `outgoing` is the superseded lease, or null once it no longer exists; `incoming`
// is the lease that supersedes it.
HandoverView viewHandover(const nlohmann::json& outgoing, const nlohmann::json& incoming);

// "[##########----------]  52% Evicting 130/250 pods of lease owner-colossus-1"
std::string progressLine(const HandoverView& view, int barWidth = 20);

}  // namespace landlord::cli
