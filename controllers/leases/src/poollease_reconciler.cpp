#include "landlord/controllers/leases/poollease_reconciler.h"

#include <algorithm>

#include "landlord/controllers/leases/lease_status.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/placement/lease.h"

namespace landlord::controllers {

namespace placement = landlord::placement;
using kube::Result;

namespace {

const json::json_pointer kName("/metadata/name");
const json::json_pointer kPool("/spec/pool");
const json::json_pointer kTenant("/spec/tenant");
const json::json_pointer kSupersedes("/spec/supersedes");
const json::json_pointer kPhase("/status/phase");

bool deleting(const json& object) {
  return object.contains(json::json_pointer("/metadata/deletionTimestamp"));
}

bool released(const json& lease) {
  return stringAt(lease, kPhase) == "Released";
}

json withoutFinalizer(const json& finalizers) {
  json out = json::array();
  for (const json& f : finalizers) {
    if (f != kLeaseFinalizer) {
      out.push_back(f);
    }
  }
  return out;
}

}  // namespace

struct PoolLeaseReconciler::Pass {
  kube::ReconcileContext& context;
  json lease;
  json status;  // working copy, written at the end when changed
  std::string name;
  std::string poolName;
  std::string tenant;
  std::string now;
  json pool;  // null when the pool does not exist
  // Why the lease is in its phase, for the Ready condition (set by setPhase).
  std::optional<std::pair<std::string, std::string>> readyReason;
  // A handover that completed in this pass, in seconds: observed once the status
  // saying Active is written, so a pass retried after a conflict counts it once.
  std::optional<double> handoverSeconds;
};

std::optional<json> PoolLeaseReconciler::successorOf(const std::string& lease) {
  for (const auto& cached : deps_.leases.list()) {
    const json& other = cached->value;
    const std::string phase = stringAt(other, kPhase);
    if (stringAt(other, kSupersedes) == lease && !deleting(other) && phase != "Released" &&
        phase != "Failed") {
      return other;
    }
  }
  return std::nullopt;
}

HandoverParty PoolLeaseReconciler::partyOf(const std::string& lease, const std::string& tenant) {
  HandoverParty party{lease, tenant, {}};
  // An unknown tenant has no namespaces: none of its pods can be found to evict.
  if (const auto object = deps_.tenants.get(tenant)) {
    party.namespaces =
        object->value.value(json::json_pointer("/spec/namespaces"), std::vector<std::string>{});
  }
  return party;
}

std::vector<NodePtr> PoolLeaseReconciler::membersOf(const std::string& pool) {
  return deps_.poolIndex.members(pool);
}

std::optional<json> PoolLeaseReconciler::liveHolder(const Claim& claim) {
  std::optional<json> holder;
  const auto cached = deps_.leases.get(claim.lease);
  if (cached && cached->meta.uid == claim.uid) {
    holder = cached->value;
  } else {
    // The cache may not have seen the holder yet (created and claimed moments ago,
    // perhaps by another replica): only the server can say the claim is stale
    // before it is taken over.
    try {
      holder = deps_.client.get(api::poolLeases(), "", claim.lease);
    } catch (const kube::NotFoundError&) {
      return std::nullopt;
    }
  }
  if (stringAt(*holder, json::json_pointer("/metadata/uid")) != claim.uid ||
      stringAt(*holder, kPhase) == "Released") {
    return std::nullopt;  // a stale claim: its lease is gone or done (Released is final)
  }
  return holder;
}

void PoolLeaseReconciler::setPhase(Pass& pass, std::string_view phase, const std::string& reason,
                                   const std::string& message) {
  pass.readyReason = std::make_pair(reason, message);
  const std::string before = pass.status.value("phase", "");
  if (before == phase) {
    return;
  }
  pass.status["phase"] = phase;
  pass.context.log.info("lease {} {} -> {}: {}", pass.name, before.empty() ? "new" : before, phase,
                        message);
  if (deps_.events) {
    const bool warning = phase == "Failed";
    deps_.events->record(kube::referenceTo(pass.lease),
                         warning ? kube::EventType::Warning : kube::EventType::Normal, reason,
                         std::string(phase), message);
  }
}

void PoolLeaseReconciler::writeStatus(Pass& pass) {
  const std::int64_t generation = generationOf(pass.lease);
  pass.status["observedGeneration"] = generation;
  const std::string phase = pass.status.value("phase", "Pending");
  const bool ready = phase == "Active";
  const bool phaseChanged = phase != stringAt(pass.lease, kPhase);
  if (phase == "Released" || phase == "Failed") {
    // A lease earns only while it holds the pool; its figures stay in status
    // (nodes, gpus, ratePerGPUHour) but it no longer earns anything.
    if (pass.status.contains("hourlyRate") || pass.status.contains("annualisedRevenue")) {
      pass.status["hourlyRate"] = "0";
      pass.status["annualisedRevenue"] = "0";
    }
    if (deps_.metrics) {
      deps_.metrics->setLeaseHourlyRevenue(pass.name, pass.tenant, pass.poolName, 0);
    }
  }
  if (ready) {
    setCondition(
        pass.status,
        Condition{"Ready", "True", phase, "the tenant holds every node of pool " + pass.poolName},
        generation, pass.now);
  } else if (pass.readyReason) {
    // The specific reason (PoolLeased, PoolNotFound, DrainTimedOut...) tells the
    // user what to do; the phase alone does not.
    setCondition(pass.status,
                 Condition{"Ready", "False", pass.readyReason->first, pass.readyReason->second},
                 generation, pass.now);
  } else if (phaseChanged || !findCondition(pass.status, "Ready")) {
    setCondition(pass.status, Condition{"Ready", "False", phase, "lease is " + phase}, generation,
                 pass.now);
  }
  if (pass.status == pass.lease.value("status", json::object())) {
    return;
  }
  json object = pass.lease;
  object["status"] = pass.status;
  pass.lease = deps_.client.update(api::poolLeases(), object, statusUpdate());
  if (pass.handoverSeconds && deps_.metrics) {
    deps_.metrics->observeHandover(*pass.handoverSeconds);
  }
}

Result PoolLeaseReconciler::runStep(Pass& pass, const placement::HandoverStep& step) {
  if (step.stage != placement::HandoverStage::Evict) {
    const NodeStepOutcome outcome =
        applyNodeStep(deps_.client, membersOf(pass.poolName), step, deps_.nodeWriteParallelism);
    pass.context.log.info("{}: patched {} nodes, {} left for the next pass", step.summary,
                          outcome.patched, outcome.retryLater);
    return Result::requeueAfter(kProgressPoll);
  }
  const DrainSettings settings = drainSettingsOf(pass.lease);
  json& drain = pass.status["drain"];
  if (!drain.is_object() || !drain.contains("startedAt")) {
    const auto start = deps_.now();
    drain = {{"startedAt", formatTime(start)},
             {"deadline", formatTime(start + std::chrono::seconds(settings.timeoutSeconds))},
             {"forcedPods", 0}};
  }
  const auto deadline = parseTime(drain.value("deadline", ""));
  const bool deadlinePassed = deadline && deps_.now() >= *deadline;
  if (deadlinePassed && settings.policy == DrainPolicy::Fail) {
    setPhase(pass, "Failed", "DrainTimedOut",
             std::to_string(step.evictions.size()) + " pods of tenant " + pass.tenant +
                 " were still on pool " + pass.poolName +
                 " at the drain deadline (policy Fail); set spec.drain.policy: Force to delete "
                 "them");
    setCondition(pass.status,
                 Condition{"Drained", "False", "DrainTimedOut",
                           std::to_string(step.evictions.size()) + " pods left at the deadline"},
                 generationOf(pass.lease), pass.now);
    return Result::success();
  }
  const EvictOutcome outcome =
      applyEvictStep(deps_.client, deps_.pods, step, settings, deadlinePassed);
  drain["podsRemaining"] = static_cast<std::int64_t>(step.evictions.size());
  drain["forcedPods"] =
      drain.value("forcedPods", std::int64_t{0}) + static_cast<std::int64_t>(outcome.forced);
  setCondition(
      pass.status,
      Condition{"Drained", "False", outcome.blocked > 0 ? "BlockedByDisruptionBudget" : "Evicting",
                std::to_string(step.evictions.size()) + " pods to leave, " +
                    std::to_string(outcome.blocked) + " refused by a PodDisruptionBudget"},
      generationOf(pass.lease), pass.now);
  return Result::requeueAfter(outcome.blocked > 0 ? std::chrono::milliseconds(5000)
                                                  : kProgressPoll);
}

Result PoolLeaseReconciler::finalize(Pass& pass) {
  if (!pass.pool.is_null() && holds(pass.pool, pass.lease)) {
    const placement::HandoverPlan plan =
        placement::planHandover(observeHandover(pass.poolName, membersOf(pass.poolName), deps_.pods,
                                                partyOf(pass.name, pass.tenant), std::nullopt));
    recordProgress(pass.status, plan, pass.name, pass.now);
    if (!plan.complete()) {
      setPhase(pass, "Releasing", "LeaseDeleted", "lease deleted: releasing its nodes first");
      Result result = runStep(pass, plan.steps.front());
      writeStatus(pass);
      return result;
    }
    dropClaim(deps_.client, pass.pool);
  }
  json patch = {{"metadata",
                 {{"finalizers", withoutFinalizer(pass.lease.value(
                                     json::json_pointer("/metadata/finalizers"), json::array()))},
                  {"resourceVersion",
                   stringAt(pass.lease, json::json_pointer("/metadata/resourceVersion"))}}}};
  deps_.client.patch(api::poolLeases(), "", pass.name, kube::PatchType::Merge, patch);
  return Result::success();
}

Result PoolLeaseReconciler::claim(Pass& pass) {
  const std::optional<Claim> current = claimOf(pass.pool);
  if (current && liveHolder(*current)) {
    const std::string supersedes = stringAt(pass.lease, kSupersedes);
    if (supersedes == current->lease) {
      setPhase(pass, "Pending", "WaitingForHandover",
               "waiting for lease " + current->lease + " to release pool " + pass.poolName);
      setCondition(pass.status,
                   Condition{"PoolClaimed", "False", "WaitingForHandover",
                             "lease " + current->lease + " (tenant " + current->tenant +
                                 ") is releasing pool " + pass.poolName},
                   generationOf(pass.lease), pass.now);
      return Result::requeueAfter(std::chrono::seconds(5));
    }
    const std::string reason = "pool " + pass.poolName + " is held by lease " + current->lease +
                               " (tenant " + current->tenant +
                               "); set spec.supersedes: " + current->lease + " to hand it over";
    setPhase(pass, "Pending", "PoolLeased", reason);
    setCondition(pass.status, Condition{"PoolClaimed", "False", "PoolLeased", reason},
                 generationOf(pass.lease), pass.now);
    return Result::requeueAfter(std::chrono::seconds(30));
  }
  // The one decision not taken on the cache's word. The pool was read from the cache
  // and may be stale, but the claim is an update of its status carrying that
  // resourceVersion: if another replica or lease wrote the pool since (or the cache
  // is simply behind), the server refuses it with ConflictError and the retry
  // re-reads. So two replicas can never both activate a lease on one pool; a stale
  // cache only costs a conflict and a requeue.
  pass.pool = writeClaim(deps_.client, pass.pool, pass.lease, pass.now);
  const Claim won = *claimOf(pass.pool);
  pass.status["claimGeneration"] = won.generation;
  pass.status["claimedAt"] = pass.now;
  setCondition(pass.status,
               Condition{"PoolClaimed", "True", "Claimed",
                         "holds pool " + pass.poolName + " (claim generation " +
                             std::to_string(won.generation) + ")"},
               generationOf(pass.lease), pass.now);
  setPhase(pass, "Provisioning", "PoolClaimed", "claimed pool " + pass.poolName);
  return Result::requeueAfter(std::chrono::milliseconds(0));
}

Result PoolLeaseReconciler::releaseTo(Pass& pass, const json& successor) {
  const std::string successorName = stringAt(successor, kName);
  const std::string successorTenant = stringAt(successor, kTenant);
  pass.pool = writeHandoverRecord(deps_.client, pass.pool,
                                  {{"fromLease", pass.name},
                                   {"fromTenant", pass.tenant},
                                   {"toLease", successorName},
                                   {"toTenant", successorTenant},
                                   {"startedAt", pass.status.value("releaseStartedAt", pass.now)}});
  if (!pass.status.contains("releaseStartedAt")) {
    pass.status["releaseStartedAt"] = pass.now;
  }
  pass.status["supersededBy"] = successorName;
  setPhase(pass, "Releasing", "HandoverStarted",
           "handing pool " + pass.poolName + " over to lease " + successorName);
  const placement::HandoverPlan plan = placement::planHandover(
      observeHandover(pass.poolName, membersOf(pass.poolName), deps_.pods,
                      partyOf(pass.name, pass.tenant), partyOf(successorName, successorTenant)));
  recordProgress(pass.status, plan, pass.name, pass.now);
  if (!plan.complete() && plan.steps.front().lease == pass.name) {
    return runStep(pass, plan.steps.front());
  }
  // Nothing of this tenant is left on the pool: hand the claim on in one write.
  pass.pool = writeClaim(deps_.client, pass.pool, successor, pass.now);
  pass.status["releasedAt"] = pass.now;
  pass.status.erase("drain");
  setCondition(pass.status, Condition{"Drained", "True", "Drained", "no pod of the tenant is left"},
               generationOf(pass.lease), pass.now);
  setPhase(pass, "Released", "Released",
           "released pool " + pass.poolName + " to lease " + successorName);
  return Result::success();
}

Result PoolLeaseReconciler::provision(Pass& pass) {
  std::optional<HandoverParty> outgoing;
  const std::string supersedes = stringAt(pass.lease, kSupersedes);
  if (!supersedes.empty()) {
    if (const auto old = deps_.leases.get(supersedes)) {
      outgoing = partyOf(supersedes, stringAt(old->value, kTenant));
    }
  }
  const placement::HandoverPlan plan =
      placement::planHandover(observeHandover(pass.poolName, membersOf(pass.poolName), deps_.pods,
                                              outgoing, partyOf(pass.name, pass.tenant)));
  recordProgress(pass.status, plan, pass.name, pass.now);
  const double hourly = recordRevenue(pass.status, pass.lease, pass.pool);
  if (!plan.complete()) {
    setPhase(pass, "Provisioning", "Provisioning", plan.steps.front().summary);
    return runStep(pass, plan.steps.front());
  }
  setCondition(pass.status,
               Condition{"Provisioned", "True", "NodesProvisioned",
                         "every node of pool " + pass.poolName + " is labelled and tainted for " +
                             pass.tenant},
               generationOf(pass.lease), pass.now);
  if (pass.status.value("phase", "") != "Active") {
    pass.status["activatedAt"] = pass.now;
    const auto created =
        parseTime(stringAt(pass.lease, json::json_pointer("/metadata/creationTimestamp")));
    if (!supersedes.empty() && created) {
      pass.handoverSeconds = std::chrono::duration<double>(deps_.now() - *created).count();
    }
  }
  setPhase(pass, "Active", "Activated",
           "tenant " + pass.tenant + " holds pool " + pass.poolName + " at $" +
               pass.status.value("hourlyRate", "0") + "/h");
  pass.pool = writeHandoverRecord(deps_.client, pass.pool, json());
  if (deps_.metrics) {
    deps_.metrics->setLeaseHourlyRevenue(pass.name, pass.tenant, pass.poolName, hourly);
  }
  return Result::success();
}

Result PoolLeaseReconciler::reconcile(kube::ReconcileContext& context,
                                      const kube::Request& request) {
  Pass pass{context, json(),       json::object(), request.name, "", "", formatTime(deps_.now()),
            json(),  std::nullopt, std::nullopt};
  // Both from the caches: every write below carries the resourceVersion read here,
  // so acting on a stale copy ends in ConflictError and a requeue.
  const auto lease = deps_.leases.get(request.name);
  if (!lease) {
    return Result::success();
  }
  pass.lease = lease->value;
  pass.status = pass.lease.value("status", json::object());
  pass.poolName = stringAt(pass.lease, kPool);
  pass.tenant = stringAt(pass.lease, kTenant);
  if (const auto pool = deps_.pools.get(pass.poolName)) {
    pass.pool = pool->value;
  }
  const bool wasLive = placement::isLive(placement::parseLeasePhase(pass.status.value("phase", ""))
                                             .value_or(placement::LeasePhase::Pending));
  if (wasLive && (pass.pool.is_null() || !holds(pass.pool, pass.lease))) {
    // A lease that held the pool and a cached pool that says otherwise: the pool
    // cache may simply not have seen this lease's own claim yet. Losing the claim
    // is final (Failed or Released), so only the server's word decides it.
    pass.pool = json();
    try {
      pass.pool = deps_.client.get(api::gpuPools(), "", pass.poolName);
    } catch (const kube::NotFoundError&) {
    }
  }
  if (deleting(pass.lease)) {
    return finalize(pass);
  }
  if (released(pass.lease)) {
    return Result::success();
  }
  const json finalizers =
      pass.lease.value(json::json_pointer("/metadata/finalizers"), json::array());
  if (std::find(finalizers.begin(), finalizers.end(), kLeaseFinalizer) == finalizers.end()) {
    json list = finalizers;
    list.push_back(kLeaseFinalizer);
    pass.lease = deps_.client.patch(
        api::poolLeases(), "", pass.name, kube::PatchType::Merge,
        {{"metadata",
          {{"finalizers", list},
           {"resourceVersion",
            stringAt(pass.lease, json::json_pointer("/metadata/resourceVersion"))}}}});
  }
  Result result = Result::success();
  if (pass.pool.is_null()) {
    setPhase(pass, "Pending", "PoolNotFound", "pool " + pass.poolName + " does not exist");
    setCondition(pass.status,
                 Condition{"PoolClaimed", "False", "PoolNotFound",
                           "GPUPool " + pass.poolName + " does not exist"},
                 generationOf(pass.lease), pass.now);
    result = Result::requeueAfter(std::chrono::seconds(30));
  } else if (holds(pass.pool, pass.lease)) {
    pass.status["claimGeneration"] = claimOf(pass.pool)->generation;
    const bool failed = pass.status.value("phase", "") == "Failed";
    std::optional<json> successor = successorOf(pass.name);
    if (failed && !(successor && drainSettingsOf(pass.lease).policy == DrainPolicy::Force)) {
      result = Result::success();  // stays Failed until the drain policy is relaxed
    } else if (successor) {
      result = releaseTo(pass, *successor);
    } else {
      result = provision(pass);
    }
  } else {
    const std::string phase = pass.status.value("phase", "Pending");
    const std::optional<Claim> current = claimOf(pass.pool);
    if (phase == "Failed") {
      result = Result::success();  // terminal unless it still holds the pool (above)
    } else if (placement::isLive(
                   placement::parseLeasePhase(phase).value_or(placement::LeasePhase::Pending))) {
      // Held the pool before; someone else holds it now. If that is our successor the
      // claim was handed on and only our own status write was lost.
      std::optional<json> successor = successorOf(pass.name);
      if (current && successor && stringAt(*successor, kName) == current->lease) {
        pass.status["releasedAt"] = pass.now;
        setPhase(pass, "Released", "Released", "released pool " + pass.poolName);
      } else {
        setPhase(pass, "Failed", "ClaimLost",
                 "lease lost its claim on pool " + pass.poolName +
                     (current ? " to lease " + current->lease : std::string()));
      }
    } else {
      result = claim(pass);
    }
  }
  writeStatus(pass);
  return result;
}

}  // namespace landlord::controllers
