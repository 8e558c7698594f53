// A handover step carried out: the pool observed for the planner, drain settings, evictions.
#include "landlord/controllers/leases/handover_executor.h"

#include <algorithm>

#include "landlord/api/v1alpha1/names.h"

namespace landlord::controllers {

namespace placement = landlord::placement;

placement::HandoverInput observeHandover(const std::string& pool,
                                         const std::vector<NodePtr>& members,
                                         const kube::Lister<PodInfo>& pods,
                                         const std::optional<HandoverParty>& outgoing,
                                         const std::optional<HandoverParty>& incoming) {
  placement::HandoverInput input;
  input.pool = pool;
  if (outgoing) {
    input.outgoing = placement::LeaseParty{outgoing->lease, outgoing->tenant};
  }
  if (incoming) {
    input.incoming = placement::LeaseParty{incoming->lease, incoming->tenant};
  }
  input.nodes.reserve(members.size());
  for (const NodePtr& node : members) {
    placement::ObservedNode observed;
    observed.name = node->meta.name;
    for (const auto& [key, value] : node->value.labels) {
      if (key.starts_with(api::kLabelPrefix)) {
        observed.labels.emplace(key, value);
      }
    }
    observed.tenantTaint = node->value.tenantTaint;
    observed.unschedulable = node->value.unschedulable;
    if (outgoing) {
      for (const auto& pod : pods.byIndex(kPodNodeIndex, node->meta.name)) {
        const bool ownedByOutgoing =
            std::find(outgoing->namespaces.begin(), outgoing->namespaces.end(), pod->meta.ns) !=
            outgoing->namespaces.end();
        const bool finished = pod->value.phase == "Succeeded" || pod->value.phase == "Failed";
        if (ownedByOutgoing && !finished && !pod->value.daemonSet) {
          observed.outgoingPods.push_back(placement::PodRef{pod->meta.ns, pod->meta.name});
        }
      }
    }
    input.nodes.push_back(std::move(observed));
  }
  return input;
}

DrainSettings drainSettingsOf(const api::PoolLease& lease) {
  const api::DrainSpec& drain = lease.spec.drain;
  DrainSettings settings;
  settings.timeoutSeconds = drain.timeoutSeconds.value_or(600);
  settings.policy = drain.policy == "Force" ? DrainPolicy::Force : DrainPolicy::Fail;
  settings.podGracePeriodSeconds = drain.podGracePeriodSeconds;
  return settings;
}

EvictOutcome applyEvictStep(kube::Client& client, const kube::Lister<PodInfo>& pods,
                            const placement::HandoverStep& step, const DrainSettings& settings,
                            bool deadlinePassed) {
  EvictOutcome outcome;
  kube::DeleteOptions options;
  options.gracePeriodSeconds = settings.podGracePeriodSeconds;
  for (const placement::PodEviction& eviction : step.evictions) {
    const auto cached = pods.get(kube::objectKey(eviction.pod.namespace_, eviction.pod.name));
    if (cached && cached->value.terminating) {
      ++outcome.terminating;
      continue;
    }
    try {
      if (deadlinePassed && settings.policy == DrainPolicy::Force) {
        client.remove(kube::resources::pods(), eviction.pod.namespace_, eviction.pod.name, options);
        ++outcome.forced;
      } else {
        kube::evictPod(client, eviction.pod.namespace_, eviction.pod.name, options);
        ++outcome.requested;
      }
    } catch (const kube::TooManyRequestsError&) {
      ++outcome.blocked;  // a PodDisruptionBudget says not now
    } catch (const kube::NotFoundError&) {
      ++outcome.terminating;  // already gone
    }
  }
  return outcome;
}

}  // namespace landlord::controllers
