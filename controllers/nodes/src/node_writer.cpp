// Node writes: one merge patch per node change, and a step's changes from parallel workers.
#include "landlord/controllers/nodes/node_writer.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace landlord::controllers {

using nlohmann::json;

std::optional<json> nodePatch(const kube::Cached<NodeInfo>& node,
                              const placement::NodeChange& change) {
  const NodeInfo& info = node.value;
  json patch = json::object();
  for (const auto& [key, value] : change.setLabels) {
    auto it = info.labels.find(key);
    if (it == info.labels.end() || it->second != value) {
      patch["metadata"]["labels"][key] = value;
    }
  }
  for (const std::string& key : change.removeLabels) {
    if (info.labels.contains(key)) {
      patch["metadata"]["labels"][key] = nullptr;
    }
  }
  if (change.unschedulable && *change.unschedulable != info.unschedulable) {
    patch["spec"]["unschedulable"] = *change.unschedulable;
  }
  std::vector<NodeTaint> taints = info.taints;
  for (const placement::Taint& remove : change.removeTaints) {
    std::erase_if(taints, [&](const NodeTaint& t) {
      return t.key == remove.key && t.value == remove.value && t.effect == remove.effect;
    });
  }
  if (change.addTaint) {
    // One tenant taint per node: a new tenant's replaces the old one.
    std::erase_if(taints, [&](const NodeTaint& t) {
      return t.key == change.addTaint->key && t.effect == change.addTaint->effect;
    });
    taints.push_back(
        NodeTaint{change.addTaint->key, change.addTaint->value, change.addTaint->effect});
  }
  if (taints != info.taints) {
    json list = json::array();
    for (const NodeTaint& t : taints) {
      json entry = {{"key", t.key}, {"effect", t.effect}};
      if (!t.value.empty()) {
        entry["value"] = t.value;
      }
      list.push_back(std::move(entry));
    }
    patch["spec"]["taints"] = std::move(list);
    patch["metadata"]["resourceVersion"] = node.meta.resourceVersion;
  }
  if (patch.empty()) {
    return std::nullopt;
  }
  return patch;
}

bool applyNodeChange(kube::Client& client, const kube::Cached<NodeInfo>& node,
                     const placement::NodeChange& change) {
  std::optional<json> patch = nodePatch(node, change);
  if (!patch) {
    return false;
  }
  client.patch(kube::resources::nodes(), "", node.meta.name, kube::PatchType::Merge, *patch);
  return true;
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

}  // namespace landlord::controllers
