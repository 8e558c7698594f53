#include "handover_progress.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "landlord_objects.h"

namespace landlord::cli {

namespace {

using nlohmann::json;

constexpr std::array<const char*, 3> kReleaseSteps = {"Cordon", "Evict", "Unlabel"};
constexpr std::array<const char*, 3> kProvisionSteps = {"Label", "Taint", "Uncordon"};
constexpr double kStepCount = 6;

std::string at(const json& object, const char* pointer) {
  return objects::text(object, pointer);
}

std::string verb(std::string_view step) {
  if (step == "Cordon")
    return "Cordoning";
  if (step == "Evict")
    return "Evicting";
  if (step == "Unlabel")
    return "Unlabelling";
  if (step == "Label")
    return "Labelling";
  if (step == "Taint")
    return "Tainting";
  if (step == "Uncordon")
    return "Uncordoning";
  return std::string(step);
}

// "Drained: DrainTimedOut: 3 pods left at the deadline".
std::string describe(const json& condition) {
  return at(condition, "/type") + ": " + at(condition, "/reason") + ": " +
         at(condition, "/message");
}

const json* recordedStep(const json& lease, std::string_view name) {
  for (const json& entry : objects::list(lease, "/status/progress/steps")) {
    if (entry.is_object() && entry.value("name", "") == name) {
      return &entry;
    }
  }
  return nullptr;
}

struct HalfProgress {
  double stepsDone = 0;  // 0..3
  std::string activity;  // the step in flight, empty when none is
};

// One lease's three steps. A step never recorded counts as done once a later one
// was recorded: the operator skips steps with nothing to do (no pods to evict).
HalfProgress halfProgress(const json& lease, const std::array<const char*, 3>& steps) {
  HalfProgress half;
  const std::string leaseName = at(lease, "/metadata/name");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const json* entry = recordedStep(lease, steps[i]);
    bool laterRecorded = false;
    for (std::size_t j = i + 1; j < steps.size(); ++j) {
      laterRecorded = laterRecorded || recordedStep(lease, steps[j]) != nullptr;
    }
    if (entry == nullptr) {
      half.stepsDone += laterRecorded ? 1 : 0;
      continue;
    }
    const std::int64_t total = objects::count(*entry, "/total");
    const std::int64_t completed = std::min(total, objects::count(*entry, "/completed"));
    if (entry->contains("completedAt") || laterRecorded) {
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
std::string failureOf(const json& lease) {
  std::string reasons;
  for (const json& condition : objects::list(lease, "/status/conditions")) {
    if (at(condition, "/type") == "Ready" || at(condition, "/status") == "True") {
      continue;
    }
    reasons += reasons.empty() ? "" : "; ";
    reasons += describe(condition);
  }
  if (reasons.empty()) {
    const json* ready = objects::condition(lease, "Ready");
    reasons = ready != nullptr ? describe(*ready) : "no condition says why";
  }
  return "lease " + at(lease, "/metadata/name") + " (tenant " + at(lease, "/spec/tenant") +
         ") is " + at(lease, "/status/phase") + ": " + reasons;
}

HandoverView failed(const json& lease, double stepsDone) {
  HandoverView view;
  view.state = HandoverState::Failed;
  view.percent = static_cast<int>(stepsDone / kStepCount * 100);
  view.activity = "Failed";
  view.failure = failureOf(lease);
  view.failedLease = at(lease, "/metadata/name");
  return view;
}

}  // namespace

HandoverView viewHandover(const json& outgoing, const json& incoming) {
  const std::string newName = at(incoming, "/metadata/name");
  const std::string newPhase = at(incoming, "/status/phase");
  const std::string pool = at(incoming, "/spec/pool");
  HandoverView view;
  double stepsDone = 0;

  const std::string oldPhase = outgoing.is_null() ? "" : at(outgoing, "/status/phase");
  const bool released = outgoing.is_null() || oldPhase == "Released";
  if (released) {
    stepsDone = 3;
  } else if (oldPhase == "Failed") {
    return failed(outgoing, halfProgress(outgoing, kReleaseSteps).stepsDone);
  } else if (oldPhase == "Releasing") {
    const HalfProgress half = halfProgress(outgoing, kReleaseSteps);
    stepsDone = half.stepsDone;
    view.activity =
        half.activity.empty() ? "Releasing lease " + at(outgoing, "/metadata/name") : half.activity;
    const json* drained = objects::condition(outgoing, "Drained");
    if (drained != nullptr && at(*drained, "/reason") == "BlockedByDisruptionBudget") {
      view.activity += " (" + at(*drained, "/message") + ")";
    }
  } else {
    view.activity =
        "Waiting for landlord-operator to start releasing lease " + at(outgoing, "/metadata/name");
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
  if (newPhase == "Releasing" || newPhase == "Released") {
    HandoverView gone = failed(incoming, stepsDone);
    gone.failure = "lease " + newName + " is " + newPhase +
                   ": it was deleted or superseded before it became Active";
    return gone;
  }
  if (newPhase == "Provisioning") {
    const HalfProgress half = halfProgress(incoming, kProvisionSteps);
    stepsDone = 3 + half.stepsDone;
    view.activity = half.activity.empty() ? "Provisioning lease " + newName : half.activity;
  } else if (released) {
    // Pending after the release: normally one reconcile away from claiming the pool;
    // anything else waiting says why in PoolClaimed.
    const json* claimed = objects::condition(incoming, "PoolClaimed");
    view.activity = "Waiting for lease " + newName + " to claim pool " + pool;
    if (claimed != nullptr && at(*claimed, "/reason") != "WaitingForHandover") {
      view.activity += " (" + at(*claimed, "/reason") + ": " + at(*claimed, "/message") + ")";
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
