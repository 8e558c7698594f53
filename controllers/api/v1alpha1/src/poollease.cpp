// PoolLease from and to the API server's JSON.
#include "landlord/api/v1alpha1/poollease.h"

#include "codec.h"

namespace landlord::api::inline v1alpha1 {

using detail::Field;
using detail::putOptional;
using detail::putString;

namespace {

void decodeSpec(const Field& spec, PoolLeaseSpec& into) {
  spec["pool"].read(into.pool);
  spec["tenant"].read(into.tenant);
  spec["purpose"].read(into.purpose);
  spec["ratePerGPUHour"].read(into.ratePerGPUHour);
  spec["supersedes"].read(into.supersedes);
  const Field drain = spec["drain"].object();
  drain["timeoutSeconds"].read(into.drain.timeoutSeconds);
  drain["policy"].read(into.drain.policy);
  drain["podGracePeriodSeconds"].read(into.drain.podGracePeriodSeconds);
  if (const Field term = spec["term"].object(); term.present()) {
    LeaseTerm& out = into.term.emplace();
    term["start"].read(out.start);
    term["end"].read(out.end);
    term["atEnd"].read(out.atEnd);
    if (const Field back = term["returnTo"].object(); back.present()) {
      TermReturn& to = out.returnTo.emplace();
      back["tenant"].read(to.tenant);
      back["purpose"].read(to.purpose);
      back["ratePerGPUHour"].read(to.ratePerGPUHour);
    }
  }
}

json encodeTerm(const LeaseTerm& term) {
  json out = json::object();
  putString(out, "start", term.start);
  putString(out, "end", term.end);
  putString(out, "atEnd", term.atEnd);
  if (term.returnTo) {
    json back = {{"tenant", term.returnTo->tenant}};
    putString(back, "purpose", term.returnTo->purpose);
    putString(back, "ratePerGPUHour", term.returnTo->ratePerGPUHour);
    out["returnTo"] = std::move(back);
  }
  return out;
}

json encodeSpec(const PoolLeaseSpec& spec) {
  json out = {{"pool", spec.pool}, {"tenant", spec.tenant}, {"purpose", spec.purpose}};
  putString(out, "ratePerGPUHour", spec.ratePerGPUHour);
  putString(out, "supersedes", spec.supersedes);
  json drain = json::object();
  putOptional(drain, "timeoutSeconds", spec.drain.timeoutSeconds);
  putString(drain, "policy", spec.drain.policy);
  putOptional(drain, "podGracePeriodSeconds", spec.drain.podGracePeriodSeconds);
  if (!drain.empty()) {
    out["drain"] = std::move(drain);
  }
  if (spec.term) {
    out["term"] = encodeTerm(*spec.term);
  }
  return out;
}

void decodeProgress(const Field& progress, Progress& into) {
  progress["step"].read(into.step);
  progress["summary"].read(into.summary);
  progress["steps"].readList(into.steps, [](const Field& item, StepProgress& step) {
    item["name"].read(step.name);
    item["completed"].read(step.completed);
    item["total"].read(step.total);
    item["startedAt"].read(step.startedAt);
    item["completedAt"].read(step.completedAt);
    item["message"].read(step.message);
  });
}

json encodeProgress(const Progress& progress) {
  json steps = json::array();
  for (const StepProgress& step : progress.steps) {
    json entry = {{"name", step.name}, {"completed", step.completed}, {"total", step.total}};
    putString(entry, "startedAt", step.startedAt);
    putString(entry, "completedAt", step.completedAt);
    putString(entry, "message", step.message);
    steps.push_back(std::move(entry));
  }
  json out = {{"steps", std::move(steps)}};
  putString(out, "step", progress.step);
  putString(out, "summary", progress.summary);
  return out;
}

void decodeDrain(const Field& drain, DrainStatus& into) {
  drain["startedAt"].read(into.startedAt);
  drain["deadline"].read(into.deadline);
  drain["podsRemaining"].read(into.podsRemaining);
  drain["blockingPodDisruptionBudgets"].read(into.blockingPodDisruptionBudgets);
  drain["forcedPods"].read(into.forcedPods);
}

json encodeDrain(const DrainStatus& drain) {
  json out = json::object();
  putString(out, "startedAt", drain.startedAt);
  putString(out, "deadline", drain.deadline);
  putOptional(out, "podsRemaining", drain.podsRemaining);
  putOptional(out, "blockingPodDisruptionBudgets", drain.blockingPodDisruptionBudgets);
  putOptional(out, "forcedPods", drain.forcedPods);
  return out;
}

void decodeStatus(const Field& status, PoolLeaseStatus& into) {
  status["observedGeneration"].read(into.observedGeneration);
  status["phase"].read(into.phase);
  status["claimGeneration"].read(into.claimGeneration);
  status["nodes"].read(into.nodes);
  status["gpus"].read(into.gpus);
  status["ratePerGPUHour"].read(into.ratePerGPUHour);
  status["hourlyRate"].read(into.hourlyRate);
  status["annualisedRevenue"].read(into.annualisedRevenue);
  status["supersededBy"].read(into.supersededBy);
  if (const Field progress = status["progress"].object(); progress.present()) {
    decodeProgress(progress, into.progress.emplace());
  }
  if (const Field drain = status["drain"].object(); drain.present()) {
    decodeDrain(drain, into.drain.emplace());
  }
  status["handoverStartedAt"].read(into.handoverStartedAt);
  status["claimedAt"].read(into.claimedAt);
  status["activatedAt"].read(into.activatedAt);
  status["releaseStartedAt"].read(into.releaseStartedAt);
  status["releasedAt"].read(into.releasedAt);
  if (const Field term = status["term"].object(); term.present()) {
    TermStatus& out = into.term.emplace();
    term["contractValue"].read(out.contractValue);
    term["accruedRevenue"].read(out.accruedRevenue);
    term["remainingValue"].read(out.remainingValue);
    term["observedEnd"].read(out.observedEnd);
    term["returnLease"].read(out.returnLease);
    term["endedAt"].read(out.endedAt);
  }
  detail::decodeConditions(status["conditions"], into.conditions);
}

json encodeStatus(const PoolLeaseStatus& status) {
  json out = json::object();
  putOptional(out, "observedGeneration", status.observedGeneration);
  putString(out, "phase", status.phase);
  putOptional(out, "claimGeneration", status.claimGeneration);
  putOptional(out, "nodes", status.nodes);
  putOptional(out, "gpus", status.gpus);
  putString(out, "ratePerGPUHour", status.ratePerGPUHour);
  putString(out, "hourlyRate", status.hourlyRate);
  putString(out, "annualisedRevenue", status.annualisedRevenue);
  putString(out, "supersededBy", status.supersededBy);
  if (status.progress) {
    out["progress"] = encodeProgress(*status.progress);
  }
  if (status.drain) {
    out["drain"] = encodeDrain(*status.drain);
  }
  putString(out, "handoverStartedAt", status.handoverStartedAt);
  putString(out, "claimedAt", status.claimedAt);
  putString(out, "activatedAt", status.activatedAt);
  putString(out, "releaseStartedAt", status.releaseStartedAt);
  putString(out, "releasedAt", status.releasedAt);
  if (status.term) {
    json term = json::object();
    putString(term, "contractValue", status.term->contractValue);
    putString(term, "accruedRevenue", status.term->accruedRevenue);
    putString(term, "remainingValue", status.term->remainingValue);
    putString(term, "observedEnd", status.term->observedEnd);
    putString(term, "returnLease", status.term->returnLease);
    putString(term, "endedAt", status.term->endedAt);
    out["term"] = std::move(term);
  }
  if (!status.conditions.empty()) {
    out["conditions"] = detail::encodeConditions(status.conditions);
  }
  return out;
}

}  // namespace

template <>
PoolLease decode<PoolLease>(const json& object) {
  PoolLease lease;
  const Field document = Field::document(object, PoolLease::kKind, lease.invalid);
  detail::decodeMetadata(document["metadata"], lease.metadata);
  decodeSpec(document["spec"].object(), lease.spec);
  decodeStatus(document["status"].object(), lease.status);
  return lease;
}

json encode(const PoolLease& lease) {
  return detail::encodeObject(PoolLease::kKind, lease.metadata, encodeSpec(lease.spec),
                              encodeStatus(lease.status));
}

}  // namespace landlord::api::inline v1alpha1
