// Where a handover stands, from the status of its two leases, and its progress line.
#include "handover_progress.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <span>

#include "landlord/api/v1alpha1/names.h"
#include "landlord/api/v1alpha1/poollease.h"

namespace landlord::cli {

namespace {

using nlohmann::json;

// The PoolLease status.progress step names: the outgoing lease holds its nodes and
// drains its pods, the incoming one has the nodes transferred to its tenant.
constexpr std::array<const char*, 2> kReleaseSteps = {"Hold", "Evict"};
constexpr std::array<const char*, 1> kProvisionSteps = {"Transfer"};
constexpr double kReleaseStepCount = kReleaseSteps.size();
constexpr double kStepCount = kReleaseSteps.size() + kProvisionSteps.size();

std::string verb(std::string_view step) {
  if (step == "Hold")
    return "Holding";
  if (step == "Evict")
    return "Evicting";
  if (step == "Transfer")
    return "Transferring";
  return std::string(step);
}

// "Drained: DrainTimedOut: 3 pods left at the deadline".
std::string describe(const api::Condition& condition) {
  return condition.type + ": " + condition.reason + ": " + condition.message;
}

const api::StepProgress* recordedStep(const api::PoolLease& lease, std::string_view name) {
  if (!lease.status.progress) {
    return nullptr;
  }
  for (const api::StepProgress& entry : lease.status.progress->steps) {
    if (entry.name == name) {
      return &entry;
    }
  }
  return nullptr;
}

struct HalfProgress {
  double stepsDone = 0;  // 0..steps
  std::string activity;  // the step in flight, empty when none is
};

// One lease's steps. A step never recorded counts as done once a later one was
// recorded.
HalfProgress halfProgress(const api::PoolLease& lease, std::span<const char* const> steps) {
  HalfProgress half;
  const std::string& leaseName = lease.metadata.name;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const api::StepProgress* entry = recordedStep(lease, steps[i]);
    bool laterRecorded = false;
    for (std::size_t j = i + 1; j < steps.size(); ++j) {
      laterRecorded = laterRecorded || recordedStep(lease, steps[j]) != nullptr;
    }
    if (entry == nullptr) {
      half.stepsDone += laterRecorded ? 1 : 0;
      continue;
    }
    const std::int64_t total = entry->total;
    const std::int64_t completed = std::min(total, entry->completed);
    if (!entry->completedAt.empty() || laterRecorded) {
      half.stepsDone += 1;
      continue;
    }
    half.stepsDone += total > 0 ? static_cast<double>(completed) / static_cast<double>(total) : 0;
    if (half.activity.empty()) {
      half.activity =
          verb(steps[i]) + " " + std::to_string(completed) + "/" + std::to_string(total) +
          (std::string_view(steps[i]) == "Evict" ? " pods" : " nodes") + " of lease " + leaseName;
    }
  }
  return half;
}

// "Drained: DrainTimedOut: 3 pods left at the deadline; ..." from every condition
// other than Ready that is not True; the Ready message when there is none.
std::string failureOf(const api::PoolLease& lease) {
  std::string reasons;
  for (const api::Condition& condition : lease.status.conditions) {
    if (condition.type == api::kReadyCondition || condition.status == "True") {
      continue;
    }
    reasons += reasons.empty() ? "" : "; ";
    reasons += describe(condition);
  }
  if (reasons.empty()) {
    const auto ready = api::findCondition(lease.status.conditions, api::kReadyCondition);
    reasons = ready ? describe(*ready) : "no condition says why";
  }
  return "lease " + lease.metadata.name + " (tenant " + lease.spec.tenant + ") is " +
         lease.status.phase + ": " + reasons;
}

HandoverView failed(const api::PoolLease& lease, double stepsDone) {
  HandoverView view;
  view.state = HandoverState::Failed;
  view.percent = static_cast<int>(stepsDone / kStepCount * 100);
  view.activity = "Failed";
  view.failure = failureOf(lease);
  view.failedLease = lease.metadata.name;
  return view;
}

}  // namespace

HandoverView viewHandover(const json& outgoingObject, const json& incomingObject) {
  // Read leniently: a half-reconciled lease is shown as far as it goes.
  const api::PoolLease incoming = api::decode<api::PoolLease>(incomingObject);
  const std::optional<api::PoolLease> outgoing =
      outgoingObject.is_null() ? std::nullopt
                               : std::optional(api::decode<api::PoolLease>(outgoingObject));
  const std::string& newName = incoming.metadata.name;
  const std::string& newPhase = incoming.status.phase;
  const std::string& pool = incoming.spec.pool;
  HandoverView view;
  double stepsDone = 0;

  const std::string oldPhase = outgoing ? outgoing->status.phase : "";
  const bool released = !outgoing || oldPhase == "Released";
  if (released) {
    stepsDone = kReleaseStepCount;
  } else if (oldPhase == "Failed") {
    return failed(*outgoing, halfProgress(*outgoing, kReleaseSteps).stepsDone);
  } else if (oldPhase == "Releasing") {
    const HalfProgress half = halfProgress(*outgoing, kReleaseSteps);
    stepsDone = half.stepsDone;
    view.activity =
        half.activity.empty() ? "Releasing lease " + outgoing->metadata.name : half.activity;
    const auto drained = api::findCondition(outgoing->status.conditions, api::kDrainedCondition);
    if (drained && drained->reason == "BlockedByDisruptionBudget") {
      view.activity += " (" + drained->message + ")";
    }
  } else {
    view.activity =
        "Waiting for landlord-operator to start releasing lease " + outgoing->metadata.name;
  }

  if (newPhase == "Active") {
    view.state = HandoverState::Active;
    view.percent = 100;
    view.activity = "Active";
    return view;
  }
  if (newPhase == "Failed") {
    return failed(incoming, stepsDone);
  }
  if (newPhase == "Scheduled") {
    // Its term has not started: the old lease keeps the pool until it does. The Ready
    // condition says when something else holds it back (a double booking).
    const std::string start = incoming.spec.term ? incoming.spec.term->start : "";
    view.activity = "Lease " + newName + " is Scheduled" +
                    (start.empty() ? "" : ": it takes pool " + pool + " at " + start);
    const auto ready = api::findCondition(incoming.status.conditions, api::kReadyCondition);
    if (ready && ready->reason != "Scheduled" && !ready->message.empty()) {
      view.activity += " (" + ready->reason + ": " + ready->message + ")";
    }
    view.percent = 0;
    return view;
  }
  if (newPhase == "Releasing" || newPhase == "Released") {
    HandoverView gone = failed(incoming, stepsDone);
    gone.failure = "lease " + newName + " is " + newPhase +
                   ": it was deleted or superseded before it became Active";
    return gone;
  }
  if (newPhase == "Provisioning") {
    const HalfProgress half = halfProgress(incoming, kProvisionSteps);
    stepsDone = kReleaseStepCount + half.stepsDone;
    view.activity = half.activity.empty() ? "Provisioning lease " + newName : half.activity;
  } else if (released) {
    // Pending after the release: normally one reconcile away from claiming the pool;
    // anything else waiting says why in PoolClaimed.
    const auto claimed = api::findCondition(incoming.status.conditions, api::kPoolClaimedCondition);
    view.activity = "Waiting for lease " + newName + " to claim pool " + pool;
    if (claimed && claimed->reason != "WaitingForHandover") {
      view.activity += " (" + claimed->reason + ": " + claimed->message + ")";
    }
  }
  view.percent = std::clamp(static_cast<int>(stepsDone / kStepCount * 100), 0, 99);
  return view;
}

std::string progressLine(const HandoverView& view, int barWidth) {
  const int filled = std::clamp(view.percent * barWidth / 100, 0, barWidth);
  char percent[8];
  std::snprintf(percent, sizeof percent, "%3d%%", view.percent);
  return "[" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(barWidth - filled), '-') + "] " + percent + " " +
         view.activity;
}

}  // namespace landlord::cli
