#include "landlord/controllers/leases/handover_executor.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "landlord/controllers/nodes/node_writer.h"
#include "landlord/placement/labels.h"

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
      if (key.starts_with("landlord.dev/")) {
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

NodeStepOutcome applyNodeStep(kube::Client& client, const std::vector<NodePtr>& members,
                              const placement::HandoverStep& step, int parallelism) {
  std::map<std::string_view, const NodePtr*> byName;
  for (const NodePtr& node : members) {
    byName.emplace(node->meta.name, &node);
  }
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> patched{0};
  std::atomic<std::size_t> retryLater{0};
  std::mutex failureMutex;
  std::exception_ptr failure;  // guarded by failureMutex: the first other error
  // Each worker takes the next change until none is left; the client is thread-safe.
  auto work = [&] {
    for (std::size_t i = next++; i < step.nodeChanges.size(); i = next++) {
      const placement::NodeChange& change = step.nodeChanges[i];
      auto it = byName.find(change.node);
      if (it == byName.end()) {
        continue;  // left the pool since it was observed
      }
      try {
        patched += applyNodeChange(client, **it->second, change) ? 1 : 0;
      } catch (const kube::ConflictError&) {
        ++retryLater;  // the cache was stale; the next pass sees the node as it is
      } catch (const kube::NotFoundError&) {
        // The node is gone: nothing to change on it.
      } catch (...) {
        std::lock_guard lock(failureMutex);
        failure = failure ? failure : std::current_exception();
        return;
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    for (int i = 1; i < parallelism; ++i) {
      workers.emplace_back(work);
    }
    work();
  }  // joins the workers
  if (failure) {
    std::rethrow_exception(failure);
  }
  return NodeStepOutcome{patched.load(), retryLater.load()};
}

DrainSettings drainSettingsOf(const json& lease) {
  DrainSettings settings;
  const json drain = lease.value(json::json_pointer("/spec/drain"), json::object());
  settings.timeoutSeconds = drain.value("timeoutSeconds", std::int64_t{600});
  settings.policy =
      drain.value("policy", "Fail") == "Force" ? DrainPolicy::Force : DrainPolicy::Fail;
  if (drain.contains("podGracePeriodSeconds")) {
    settings.podGracePeriodSeconds = drain["podGracePeriodSeconds"].get<std::int64_t>();
  }
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
