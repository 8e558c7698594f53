// The PoolLease controller: one pass claims the pool, provisions it, or releases it to a successor.
#include "landlord/controllers/leases/poollease_reconciler.h"

#include <algorithm>

#include "landlord/api/v1alpha1/client.h"
#include "landlord/api/v1alpha1/names.h"
#include "landlord/controllers/leases/lease_status.h"
#include "landlord/controllers/leases/lease_terms.h"
#include "landlord/controllers/leases/pool_claim.h"
#include "landlord/controllers/ownership/drain.h"
#include "landlord/controllers/ownership/ownership_view.h"
#include "landlord/placement/lease.h"

namespace landlord::controllers {

namespace placement = landlord::placement;
using kube::Result;

namespace {

bool released(const api::PoolLease& lease) {
  return lease.status.phase == "Released";
}

std::vector<std::string> withoutFinalizer(const std::vector<std::string>& finalizers) {
  std::vector<std::string> out;
  for (const std::string& f : finalizers) {
    if (f != api::kLeaseFinalizer) {
      out.push_back(f);
    }
  }
  return out;
}

}  // namespace

struct PoolLeaseReconciler::Pass {
  kube::ReconcileContext& context;
  api::PoolLease lease;
  api::PoolLeaseStatus status;  // working copy, written at the end when changed
  std::string name;
  std::string poolName;
  std::string tenant;
  std::string now;
  std::optional<api::GpuPool> pool;  // none when the pool does not exist
  // Why the lease is in its phase, for the Ready condition (set by setPhase).
  std::optional<std::pair<std::string, std::string>> readyReason;
  // A handover that completed in this pass, in seconds: observed once the status
  // saying Active is written, so a pass retried after a conflict counts it once.
  std::optional<double> handoverSeconds;
};

std::optional<api::PoolLease> PoolLeaseReconciler::successorOf(const std::string& lease) {
  for (const auto& cached : deps_.leases.list()) {
    const api::PoolLease& other = cached->value;
    const std::string& phase = other.status.phase;
    if (other.spec.supersedes == lease && !other.metadata.deleting() && phase != "Released" &&
        phase != "Failed" && !beforeStart(other, toTimePoint(deps_.now()))) {
      return other;  // one whose term has not started yet leaves this lease the pool
    }
  }
  return std::nullopt;
}

bool PoolLeaseReconciler::tenantExists(const std::string& tenant) {
  if (deps_.tenants.get(tenant)) {
    return true;
  }
  // The cache may not have seen a tenant created moments ago: only the server's
  // word gives a pool up.
  try {
    api::get<api::Tenant>(deps_.client, "", tenant);
    return true;
  } catch (const kube::NotFoundError&) {
    return false;
  }
}

std::optional<api::PoolLease> PoolLeaseReconciler::liveHolder(const Claim& claim) {
  std::optional<api::PoolLease> holder;
  const auto cached = deps_.leases.get(claim.lease);
  if (cached && cached->meta.uid() == claim.uid) {
    holder = cached->value;
  } else {
    // The cache may not have seen the holder yet (created and claimed moments ago,
    // perhaps by another replica): only the server can say the claim is stale
    // before it is taken over.
    try {
      holder = api::get<api::PoolLease>(deps_.client, "", claim.lease);
    } catch (const kube::NotFoundError&) {
      return std::nullopt;
    }
  }
  if (holder->metadata.uid != claim.uid || released(*holder)) {
    return std::nullopt;  // a stale claim: its lease is gone or done (Released is final)
  }
  return holder;
}

void PoolLeaseReconciler::setPhase(Pass& pass, std::string_view phase, const std::string& reason,
                                   const std::string& message) {
  pass.readyReason = std::make_pair(reason, message);
  const std::string before = pass.status.phase;
  if (before == phase) {
    return;
  }
  pass.status.phase = phase;
  pass.context.log.info("lease {} {} -> {}: {}", pass.name, before.empty() ? "new" : before, phase,
                        message);
  if (deps_.events) {
    const bool warning = phase == "Failed";
    deps_.events->record(api::referenceTo(pass.lease),
                         warning ? kube::EventType::Warning : kube::EventType::Normal, reason,
                         std::string(phase), message);
  }
}

void PoolLeaseReconciler::writeStatus(Pass& pass) {
  const std::int64_t generation = pass.lease.metadata.generation;
  pass.status.observedGeneration = generation;
  const std::string phase = pass.status.phase.empty() ? "Pending" : pass.status.phase;
  const bool ready = phase == "Active";
  const bool phaseChanged = phase != pass.lease.status.phase;
  if (phase == "Released" || phase == "Failed") {
    // A lease earns only while it holds the pool; its figures stay in status
    // (nodes, gpus, ratePerGPUHour) but it no longer earns anything.
    if (!pass.status.hourlyRate.empty() || !pass.status.annualisedRevenue.empty()) {
      pass.status.hourlyRate = "0";
      pass.status.annualisedRevenue = "0";
    }
    if (deps_.metrics) {
      deps_.metrics->setLeaseHourlyRevenue(pass.name, pass.tenant, pass.poolName, 0);
    }
  }
  if (ready) {
    api::setCondition(pass.status.conditions,
                      {api::kReadyCondition, "True", phase,
                       "the tenant holds every node of pool " + pass.poolName},
                      generation, pass.now);
  } else if (pass.readyReason) {
    // The specific reason (PoolLeased, PoolNotFound, DrainTimedOut...) tells the
    // user what to do; the phase alone does not.
    api::setCondition(
        pass.status.conditions,
        {api::kReadyCondition, "False", pass.readyReason->first, pass.readyReason->second},
        generation, pass.now);
  } else if (phaseChanged || !api::findCondition(pass.status.conditions, api::kReadyCondition)) {
    api::setCondition(pass.status.conditions,
                      {api::kReadyCondition, "False", phase, "lease is " + phase}, generation,
                      pass.now);
  }
  if (pass.status == pass.lease.status) {
    return;
  }
  pass.lease = api::writeStatus(deps_.client, pass.lease, pass.status);
  if (pass.handoverSeconds && deps_.metrics) {
    deps_.metrics->observeHandover(*pass.handoverSeconds);
  }
}

std::optional<Result> PoolLeaseReconciler::drain(Pass& pass, const std::string& reason,
                                                 const std::string& message) {
  setPhase(pass, "Releasing", reason, message);
  const DrainSettings settings = drainSettingsOf(pass.lease);
  if (!pass.status.drain || pass.status.drain->startedAt.empty()) {
    const auto start = deps_.now();
    api::DrainStatus& started = pass.status.drain.emplace();
    started.startedAt = kube::formatTime(start);
    started.deadline = kube::formatTime(start + std::chrono::seconds(settings.timeoutSeconds));
    started.forcedPods = 0;
  }
  // Once the status says Releasing, the node ownership controller holds the nodes
  // and evicts the tenant's pods; this only watches them get there.
  const OwnershipView view(deps_);
  const OwnershipTally tally = view.tally(
      pass.poolName, PoolOwner{placement::OwnerMode::Hold, pass.tenant, true, pass.lease});
  recordProgress(pass.status,
                 {{"Hold", tally.members, tally.members - tally.held,
                   "hold the nodes of pool " + pass.poolName + " (taint " +
                       std::string(api::kHoldTaintKey) + ")"},
                  {"Evict", tally.podsLeaving, tally.podsLeaving,
                   "evict the pods of tenant " + pass.tenant + " from pool " + pass.poolName}},
                 pass.name, pass.now);
  api::DrainStatus& drain = *pass.status.drain;
  drain.podsRemaining = tally.podsLeaving;
  if (tally.settled()) {
    pass.status.drain.reset();
    api::setCondition(pass.status.conditions,
                      {api::kDrainedCondition, "True", "Drained", "no pod of the tenant is left"},
                      pass.lease.metadata.generation, pass.now);
    return std::nullopt;
  }
  if (drainDeadlinePassed(pass.lease, deps_.now()) && settings.policy == DrainPolicy::Fail &&
      tally.podsLeaving > 0) {
    setPhase(pass, "Failed", "DrainTimedOut",
             std::to_string(tally.podsLeaving) + " pods of tenant " + pass.tenant +
                 " were still on pool " + pass.poolName +
                 " at the drain deadline (policy Fail); set spec.drain.policy: Force to delete "
                 "them");
    api::setCondition(pass.status.conditions,
                      {api::kDrainedCondition, "False", "DrainTimedOut",
                       std::to_string(tally.podsLeaving) + " pods left at the deadline"},
                      pass.lease.metadata.generation, pass.now);
    return Result::success();
  }
  std::string why = std::to_string(tally.members - tally.held) + " of " +
                    std::to_string(tally.members) + " nodes to hold, " +
                    std::to_string(tally.podsLeaving) + " pods to leave";
  if (tally.blocked > 0) {
    why += ", " + std::to_string(tally.blocked) +
           " nodes refused by a PodDisruptionBudget: " + tally.reasons.front();
  }
  api::setCondition(pass.status.conditions,
                    {api::kDrainedCondition, "False",
                     tally.blocked > 0 ? "BlockedByDisruptionBudget" : "Evicting", why},
                    pass.lease.metadata.generation, pass.now);
  return Result::requeueAfter(tally.blocked > 0 ? std::chrono::milliseconds(5000) : kProgressPoll);
}

Result PoolLeaseReconciler::finalize(Pass& pass) {
  if (pass.pool && holds(*pass.pool, pass.lease) && !pass.pool->metadata.deleting()) {
    if (auto waiting = drain(pass, "LeaseDeleted", "lease deleted: releasing its nodes first")) {
      writeStatus(pass);
      return *waiting;
    }
    // Nobody's from here: the node ownership controller lifts the hold and the
    // tenant's marks once the claim is gone.
    dropClaim(deps_.client, *pass.pool);
  }
  api::writeFinalizers(deps_.client, pass.lease, withoutFinalizer(pass.lease.metadata.finalizers));
  return Result::success();
}

Result PoolLeaseReconciler::claim(Pass& pass) {
  if (pass.pool->metadata.deleting()) {
    setPhase(pass, "Pending", "PoolNotFound", "pool " + pass.poolName + " is being deleted");
    api::setCondition(pass.status.conditions,
                      {api::kPoolClaimedCondition, "False", "PoolNotFound",
                       "GPUPool " + pass.poolName + " is being deleted"},
                      pass.lease.metadata.generation, pass.now);
    return Result::requeueAfter(std::chrono::seconds(30));
  }
  const std::optional<Claim> current = claimOf(*pass.pool);
  if (current && liveHolder(*current)) {
    const std::string& supersedes = pass.lease.spec.supersedes;
    if (supersedes == current->lease) {
      setPhase(pass, "Pending", "WaitingForHandover",
               "waiting for lease " + current->lease + " to release pool " + pass.poolName);
      api::setCondition(pass.status.conditions,
                        {api::kPoolClaimedCondition, "False", "WaitingForHandover",
                         "lease " + current->lease + " (tenant " + current->tenant +
                             ") is releasing pool " + pass.poolName},
                        pass.lease.metadata.generation, pass.now);
      return Result::requeueAfter(std::chrono::seconds(5));
    }
    const std::string reason = "pool " + pass.poolName + " is held by lease " + current->lease +
                               " (tenant " + current->tenant +
                               "); set spec.supersedes: " + current->lease + " to hand it over";
    setPhase(pass, "Pending", "PoolLeased", reason);
    api::setCondition(pass.status.conditions,
                      {api::kPoolClaimedCondition, "False", "PoolLeased", reason},
                      pass.lease.metadata.generation, pass.now);
    return Result::requeueAfter(std::chrono::seconds(30));
  }
  // The one decision not taken on the cache's word. The pool was read from the cache
  // and may be stale, but the claim is an update of its status carrying that
  // resourceVersion: if another replica or lease wrote the pool since (or the cache
  // is simply behind), the server refuses it with ConflictError and the retry
  // re-reads. So two replicas can never both activate a lease on one pool; a stale
  // cache only costs a conflict and a requeue.
  pass.pool = writeClaim(deps_.client, *pass.pool, pass.lease, pass.now);
  const Claim won = *claimOf(*pass.pool);
  pass.status.claimGeneration = won.generation;
  pass.status.claimedAt = pass.now;
  api::setCondition(pass.status.conditions,
                    {api::kPoolClaimedCondition, "True", "Claimed",
                     "holds pool " + pass.poolName + " (claim generation " +
                         std::to_string(won.generation) + ")"},
                    pass.lease.metadata.generation, pass.now);
  setPhase(pass, "Provisioning", "PoolClaimed", "claimed pool " + pass.poolName);
  return Result::requeueAfter(std::chrono::milliseconds(0));
}

Result PoolLeaseReconciler::releaseTo(Pass& pass, const api::PoolLease& successor) {
  const std::string& successorName = successor.metadata.name;
  const std::string& successorTenant = successor.spec.tenant;
  pass.pool =
      writeHandoverRecord(deps_.client, *pass.pool,
                          api::HandoverRecord{.fromLease = pass.name,
                                              .fromTenant = pass.tenant,
                                              .toLease = successorName,
                                              .toTenant = successorTenant,
                                              .startedAt = pass.status.releaseStartedAt.empty()
                                                               ? pass.now
                                                               : pass.status.releaseStartedAt});
  if (pass.status.releaseStartedAt.empty()) {
    pass.status.releaseStartedAt = pass.now;
  }
  pass.status.supersededBy = successorName;
  if (auto waiting = drain(pass, "HandoverStarted",
                           "handing pool " + pass.poolName + " over to lease " + successorName)) {
    return *waiting;
  }
  // Nothing of this tenant is left on the pool: hand the claim on in one write.
  pass.pool = writeClaim(deps_.client, *pass.pool, successor, pass.now);
  pass.status.releasedAt = pass.now;
  setPhase(pass, "Released", "Released",
           "released pool " + pass.poolName + " to lease " + successorName);
  return Result::success();
}

Result PoolLeaseReconciler::provision(Pass& pass) {
  const double hourly = recordRevenue(pass.status, pass.lease, *pass.pool);
  const std::string& supersedes = pass.lease.spec.supersedes;
  if (pass.status.phase != "Active") {
    // Active is for good: a node that joins the pool later, or foreign pods found on
    // one, are the node ownership controller's to fix (the pool's status reports
    // them), so an Active lease with nothing to do costs no walk over the pool.
    const OwnershipView view(deps_);
    const OwnershipTally tally = view.tally(
        pass.poolName, PoolOwner{placement::OwnerMode::Own, pass.tenant, true, pass.lease});
    const std::int64_t left = tally.members - tally.converged;
    recordProgress(
        pass.status,
        {{"Transfer", tally.members, left,
          "label and taint the nodes of pool " + pass.poolName + " for tenant " + pass.tenant}},
        pass.name, pass.now);
    if (!tally.settled()) {
      setPhase(pass, "Provisioning", "Provisioning",
               std::to_string(left) + " of " + std::to_string(tally.members) + " nodes of pool " +
                   pass.poolName + " still to give to tenant " + pass.tenant +
                   (tally.podsLeaving > 0 ? " (" + std::to_string(tally.podsLeaving) +
                                                " pods of other tenants to leave)"
                                          : ""));
      return Result::requeueAfter(std::chrono::seconds(2));
    }
  }
  api::setCondition(
      pass.status.conditions,
      {api::kProvisionedCondition, "True", "NodesProvisioned",
       "every node of pool " + pass.poolName + " is labelled and tainted for " + pass.tenant},
      pass.lease.metadata.generation, pass.now);
  if (pass.status.phase != "Active") {
    pass.status.activatedAt = pass.now;
    const auto created = kube::parseTime(pass.lease.metadata.creationTimestamp);
    if (!supersedes.empty() && created) {
      pass.handoverSeconds = std::chrono::duration<double>(deps_.now() - *created).count();
    }
  }
  setPhase(pass, "Active", "Activated",
           "tenant " + pass.tenant + " holds pool " + pass.poolName + " at $" +
               (pass.status.hourlyRate.empty() ? "0" : pass.status.hourlyRate) + "/h");
  pass.pool = writeHandoverRecord(deps_.client, *pass.pool, std::nullopt);
  if (deps_.metrics) {
    deps_.metrics->setLeaseHourlyRevenue(pass.name, pass.tenant, pass.poolName, hourly);
  }
  return Result::success();
}

namespace {

// Timers from the lease itself: a pass is due again at `when`, but never more than
// an hour out, so a clock stepped forward is noticed within the hour.
Result dueAt(placement::TimePoint now, placement::TimePoint when) {
  const auto wait =
      std::clamp<std::chrono::seconds>(when - now, std::chrono::seconds(0), std::chrono::hours(1));
  return Result::requeueAfter(wait + std::chrono::milliseconds(100));
}

// The sooner of two results; success is "never".
Result sooner(Result a, Result b) {
  if (a.kind() != Result::Kind::requeueAfter) {
    return a.kind() == Result::Kind::success ? b : a;
  }
  if (b.kind() != Result::Kind::requeueAfter) {
    return b.kind() == Result::Kind::success ? a : b;
  }
  return a.delay() <= b.delay() ? a : b;
}

// How often the money of a term is brought up to date while it runs.
constexpr std::chrono::minutes kTermValueRefresh{5};

}  // namespace

std::optional<Result> PoolLeaseReconciler::waitForTerm(Pass& pass) {
  if (!pass.lease.spec.term) {
    return std::nullopt;
  }
  const placement::TimePoint now = toTimePoint(deps_.now());
  // Earlier bookings win: a live lease, or one created before this one (names
  // break ties), so two leases that overlap never both wait for the other.
  const auto createdFirst = [&](const api::PoolLease& other) {
    const std::string& mine = pass.lease.metadata.creationTimestamp;
    const std::string& theirs = other.metadata.creationTimestamp;
    return theirs < mine || (theirs == mine && other.metadata.name < pass.name);
  };
  std::vector<api::PoolLease> earlier;
  for (const auto& cached : deps_.leases.list()) {
    const api::PoolLease& other = cached->value;
    const auto phase =
        placement::parseLeasePhase(other.status.phase).value_or(placement::LeasePhase::Pending);
    if (placement::isLive(phase) || createdFirst(other)) {
      earlier.push_back(other);
    }
  }
  if (const auto clash = doubleBookingOf(pass.lease, earlier, now)) {
    setPhase(pass, "Pending", "DoubleBooked", *clash);
    api::setCondition(pass.status.conditions,
                      {api::kPoolClaimedCondition, "False", "DoubleBooked", *clash},
                      pass.lease.metadata.generation, pass.now);
    return Result::requeueAfter(std::chrono::seconds(30));
  }
  if (!beforeStart(pass.lease, now)) {
    return std::nullopt;
  }
  const std::string& start = pass.lease.spec.term->start;
  const std::string& supersedes = pass.lease.spec.supersedes;
  setPhase(
      pass, "Scheduled", "Scheduled",
      "takes pool " + pass.poolName + " at " + start +
          (supersedes.empty() ? std::string() : "; lease " + supersedes + " keeps it until then"));
  api::setCondition(
      pass.status.conditions,
      {api::kPoolClaimedCondition, "False", "Scheduled", "the term starts at " + start},
      pass.lease.metadata.generation, pass.now);
  return dueAt(now, *termStart(pass.lease));
}

bool PoolLeaseReconciler::createReturnLease(Pass& pass, const std::string& name) {
  const api::TermReturn& to = *pass.lease.spec.term->returnTo;
  try {
    deps_.client.create(api::poolLeases(), "", api::encode(returnLeaseFor(pass.lease)));
    pass.context.log.info("lease {}: term ended, created lease {} to return pool {} to {}",
                          pass.name, name, pass.poolName, to.tenant);
  } catch (const kube::AlreadyExistsError&) {
    // created by a pass that did not live to record it: exactly one either way
  } catch (const kube::ApiError& refused) {
    // E.g. the return would overlap a lease booked after this term.
    if (deps_.events) {
      deps_.events->record(
          api::referenceTo(pass.lease), kube::EventType::Warning, "ReturnRefused", "Return",
          "could not create lease " + name + " to return pool " + pass.poolName + " to " +
              to.tenant + ": " + refused.what() + "; releasing the pool instead");
    }
    return false;
  }
  if (deps_.events) {
    deps_.events->record(api::referenceTo(pass.lease), kube::EventType::Normal, "TermEnded",
                         "Return",
                         "term ended at " + pass.lease.spec.term->end + ": pool " + pass.poolName +
                             " returns to tenant " + to.tenant + " (lease " + name + ")");
  }
  return true;
}

Result PoolLeaseReconciler::endTerm(Pass& pass) {
  const api::LeaseTerm& term = *pass.lease.spec.term;
  api::TermStatus& recorded = pass.status.term ? *pass.status.term : pass.status.term.emplace();
  if (recorded.endedAt.empty()) {
    recorded.endedAt = pass.now;
  }
  // Releasing already means the return was refused (or its lease went): release.
  if (term.atEnd == "Return" && term.returnTo && pass.status.phase != "Releasing") {
    const std::string name = returnLeaseName(pass.lease);
    if (recorded.returnLease == name) {
      // Recorded and not (yet) seen as a successor: wait for the cache, unless it
      // is gone or done for good, then release.
      try {
        if (liveOrScheduled(api::get<api::PoolLease>(deps_.client, "", name))) {
          return Result::requeueAfter(kProgressPoll);
        }
      } catch (const kube::NotFoundError&) {
      }
    } else if (createReturnLease(pass, name)) {
      recorded.returnLease = name;
      return Result::requeueAfter(kProgressPoll);  // the return lease supersedes this one
    }
  }
  if (auto waiting = drain(pass, "TermEnded",
                           "term ended at " + term.end + ": releasing pool " + pass.poolName)) {
    return *waiting;
  }
  pass.pool = dropClaim(deps_.client, *pass.pool);
  pass.status.releasedAt = pass.now;
  setPhase(pass, "Released", "TermEnded",
           "term ended at " + term.end + ": released pool " + pass.poolName);
  return Result::success();
}

Result PoolLeaseReconciler::untilTermEnd(Pass& pass, Result result) {
  if (!pass.lease.spec.term) {
    return result;
  }
  const Result refresh = Result::requeueAfter(kTermValueRefresh);  // the accrued revenue
  const auto end = termEnd(pass.lease);
  if (!end) {
    return sooner(result, refresh);
  }
  return sooner(sooner(result, dueAt(toTimePoint(deps_.now()), *end)), refresh);
}

void PoolLeaseReconciler::noteTermChange(Pass& pass) {
  if (!pass.lease.spec.term) {
    return;
  }
  const std::string& end = pass.lease.spec.term->end;
  api::TermStatus& recorded = pass.status.term ? *pass.status.term : pass.status.term.emplace();
  if (recorded.observedEnd == end) {
    return;
  }
  const bool live = placement::isLive(
      placement::parseLeasePhase(pass.status.phase).value_or(placement::LeasePhase::Pending));
  if (!recorded.observedEnd.empty() && live && deps_.events) {
    const auto before = kube::parseTime(recorded.observedEnd);
    const auto after = kube::parseTime(end);
    const bool renewed = !after || (before && *after > *before);
    deps_.events->record(api::referenceTo(pass.lease), kube::EventType::Normal,
                         renewed ? "TermRenewed" : "TermShortened", "Term",
                         "spec.term.end moved from " + recorded.observedEnd + " to " +
                             (end.empty() ? std::string("open-ended") : end) +
                             (renewed ? ": lease renewed" : ": the lease ends early"));
  }
  recorded.observedEnd = end;
}

void PoolLeaseReconciler::recordTermValue(Pass& pass) {
  if (!pass.lease.spec.term || !pass.status.term || pass.status.activatedAt.empty()) {
    return;
  }
  const auto activated = kube::parseTime(pass.status.activatedAt);
  if (!activated || pass.status.ratePerGPUHour.empty() || !pass.status.gpus) {
    return;
  }
  placement::Money hourly;
  try {
    hourly = placement::Money::parse(pass.status.ratePerGPUHour).times(*pass.status.gpus);
  } catch (const std::exception&) {
    return;  // reported by the revenue that wrote it
  }
  // Accrued to the last whole refresh interval: a status that changed with every
  // pass would wake its own reconcile (lease events wake the leases on the pool)
  // and write again, cent by cent.
  const auto now = toTimePoint(deps_.now());
  placement::TimePoint until = now - (now.time_since_epoch() % kTermValueRefresh);
  if (const auto end = termEnd(pass.lease); end && *end <= now) {
    until = *end;
  }
  if (const auto released = kube::parseTime(pass.status.releasedAt)) {
    until = std::min(until, toTimePoint(*released));
  }
  const placement::TimePoint activatedAt = toTimePoint(*activated);
  const placement::TermValue value = placement::termValue(
      hourly, termStart(pass.lease).value_or(activatedAt), activatedAt, termEnd(pass.lease), until);
  api::TermStatus& term = *pass.status.term;
  term.accruedRevenue = value.accrued.plain();
  term.contractValue = value.contract ? value.contract->plain() : "";
  term.remainingValue = value.remaining ? value.remaining->plain() : "";
  if (deps_.metrics) {
    const auto usd = [](placement::Money money) { return money.micros() / 1e6; };
    deps_.metrics->setLeaseTermValue(
        pass.name, pass.tenant, pass.poolName,
        value.contract ? std::optional<double>(usd(*value.contract)) : std::nullopt,
        usd(value.accrued));
  }
}

Result PoolLeaseReconciler::reconcile(kube::ReconcileContext& context,
                                      const kube::Request& request) {
  // Both from the caches: every write below carries the resourceVersion read here,
  // so acting on a stale copy ends in ConflictError and a requeue.
  const auto lease = deps_.leases.get(request.name);
  if (!lease) {
    if (deps_.metrics) {
      deps_.metrics->forgetLease(request.name);
    }
    return Result::success();
  }
  Pass pass{.context = context,
            .lease = lease->value,
            .status = lease->value.status,
            .name = request.name,
            .poolName = lease->value.spec.pool,
            .tenant = lease->value.spec.tenant,
            .now = kube::formatTime(deps_.now()),
            .pool = std::nullopt,
            .readyReason = std::nullopt,
            .handoverSeconds = std::nullopt};
  reportInvalid(deps_, pass.lease, context.log);
  if (const auto pool = deps_.pools.get(pass.poolName)) {
    pass.pool = pool->value;
  }
  const bool wasLive = placement::isLive(
      placement::parseLeasePhase(pass.status.phase).value_or(placement::LeasePhase::Pending));
  if (wasLive && (!pass.pool || !holds(*pass.pool, pass.lease))) {
    // A lease that held the pool and a cached pool that says otherwise: the pool
    // cache may simply not have seen this lease's own claim yet. Losing the claim
    // is final (Failed or Released), so only the server's word decides it.
    pass.pool.reset();
    try {
      pass.pool = api::get<api::GpuPool>(deps_.client, "", pass.poolName);
    } catch (const kube::NotFoundError&) {
    }
  }
  if (pass.lease.metadata.deleting()) {
    return finalize(pass);
  }
  if (wasLive && (!pass.pool || pass.pool->metadata.deleting())) {
    // Its nodes are nobody's once the pool goes (the pool's finalizer sees to it).
    setPhase(pass, "Failed", "PoolDeleted",
             "pool " + pass.poolName + " was deleted while this lease held it");
    writeStatus(pass);
    return Result::success();
  }
  if (wasLive && pass.pool && holds(*pass.pool, pass.lease) && !tenantExists(pass.tenant)) {
    // A tenant deleted under its lease owns nothing any more: give the pool up, so
    // its nodes become nobody's and another lease may claim it.
    pass.pool = dropClaim(deps_.client, *pass.pool);
    setPhase(pass, "Failed", "TenantNotFound",
             "tenant " + pass.tenant + " was deleted; pool " + pass.poolName + " given up");
    writeStatus(pass);
    return Result::success();
  }
  if (released(pass.lease)) {
    return Result::success();
  }
  const std::vector<std::string>& finalizers = pass.lease.metadata.finalizers;
  if (std::find(finalizers.begin(), finalizers.end(), api::kLeaseFinalizer) == finalizers.end()) {
    std::vector<std::string> list = finalizers;
    list.emplace_back(api::kLeaseFinalizer);
    pass.lease = api::writeFinalizers(deps_.client, pass.lease, list);
  }
  noteTermChange(pass);
  Result result = Result::success();
  if (!pass.pool && pass.status.phase == "Failed") {
    result = Result::success();  // terminal: its pool went while it held it
  } else if (!pass.pool) {
    setPhase(pass, "Pending", "PoolNotFound", "pool " + pass.poolName + " does not exist");
    api::setCondition(pass.status.conditions,
                      {api::kPoolClaimedCondition, "False", "PoolNotFound",
                       "GPUPool " + pass.poolName + " does not exist"},
                      pass.lease.metadata.generation, pass.now);
    result = Result::requeueAfter(std::chrono::seconds(30));
  } else if (holds(*pass.pool, pass.lease)) {
    pass.status.claimGeneration = claimOf(*pass.pool)->generation;
    const bool failed = pass.status.phase == "Failed";
    std::optional<api::PoolLease> successor = successorOf(pass.name);
    if (failed && !(successor && drainSettingsOf(pass.lease).policy == DrainPolicy::Force)) {
      result = Result::success();  // stays Failed until the drain policy is relaxed
    } else if (successor) {
      result = releaseTo(pass, *successor);
    } else if (termEnded(pass.lease, toTimePoint(deps_.now()))) {
      result = endTerm(pass);
    } else {
      result = untilTermEnd(pass, provision(pass));
    }
  } else {
    const std::string phase = pass.status.phase.empty() ? "Pending" : pass.status.phase;
    const std::optional<Claim> current = claimOf(*pass.pool);
    if (phase == "Failed") {
      result = Result::success();  // terminal unless it still holds the pool (above)
    } else if (placement::isLive(
                   placement::parseLeasePhase(phase).value_or(placement::LeasePhase::Pending))) {
      // Held the pool before; someone else holds it now. If that is our successor the
      // claim was handed on and only our own status write was lost.
      std::optional<api::PoolLease> successor = successorOf(pass.name);
      if (current && successor && successor->metadata.name == current->lease) {
        pass.status.releasedAt = pass.now;
        setPhase(pass, "Released", "Released", "released pool " + pass.poolName);
      } else if (!current && termEnded(pass.lease, toTimePoint(deps_.now()))) {
        // endTerm dropped the claim and its status write was lost (a conflict, a
        // crash): the term is over and the pool free, so the release is done.
        pass.status.releasedAt = pass.now;
        setPhase(pass, "Released", "TermEnded",
                 "term ended at " + pass.lease.spec.term->end + ": released pool " + pass.poolName);
      } else {
        setPhase(pass, "Failed", "ClaimLost",
                 "lease lost its claim on pool " + pass.poolName +
                     (current ? " to lease " + current->lease : std::string()));
      }
    } else if (auto waiting = waitForTerm(pass)) {
      result = *waiting;
    } else {
      result = claim(pass);
    }
  }
  recordTermValue(pass);
  writeStatus(pass);
  return result;
}

}  // namespace landlord::controllers
