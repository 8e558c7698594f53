#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace landlord::placement {

// The handover of a pool from one lease to the next, as a pure function of what is
// observed on the pool's nodes. Nothing is remembered between calls, so a
// controller that restarts at any moment re-observes, re-plans and resumes.
//
// Order: Cordon (every node not yet in its final state) -> Evict (the outgoing
// tenant's pods, through the Eviction API) -> Unlabel (remove the outgoing
// tenant's label and taint) -> Label -> Taint (the incoming tenant's) -> Uncordon
// (only nodes the handover cordoned). The stage names are PoolLease
// status.progress step names: a release runs Cordon, Evict, Unlabel; a
// provisioning runs Label, Taint, Uncordon. With no outgoing lease this provisions
// a free pool (cordoning it first so nothing lands mid-way); with no incoming
// lease it releases a pool back to free.

struct LeaseParty {
  std::string lease;
  std::string tenant;
};

struct PodRef {
  std::string namespace_;
  std::string name;
  bool operator==(const PodRef&) const = default;
};

struct ObservedNode {
  std::string name;
  // Labels landlord owns that are present (landlord.dev/*); others may be omitted.
  std::map<std::string, std::string> labels;
  // Value of the landlord.dev/tenant NoSchedule taint, when present.
  std::optional<std::string> tenantTaint;
  bool unschedulable = false;
  // The outgoing tenant's pods still on the node (not DaemonSet pods).
  std::vector<PodRef> outgoingPods;
};

struct HandoverInput {
  std::string pool;
  std::optional<LeaseParty> outgoing;
  std::optional<LeaseParty> incoming;
  std::vector<ObservedNode> nodes;
};

struct Taint {
  std::string key;
  std::string value;
  std::string effect;
  bool operator==(const Taint&) const = default;
};

// What one node must change; unset fields stay as they are.
struct NodeChange {
  std::string node;
  std::optional<bool> unschedulable;
  std::map<std::string, std::string> setLabels;
  std::vector<std::string> removeLabels;
  std::optional<Taint> addTaint;
  std::vector<Taint> removeTaints;
};

struct PodEviction {
  std::string node;
  PodRef pod;
};

enum class HandoverStage { Cordon, Evict, Unlabel, Label, Taint, Uncordon };
// "Cordon", "Evict", ...: the PoolLease status.progress step names.
std::string_view toString(HandoverStage stage);

struct HandoverStep {
  HandoverStage stage = HandoverStage::Cordon;
  std::string lease;  // the lease whose status records this step's progress
  std::vector<NodeChange> nodeChanges;
  std::vector<PodEviction> evictions;
  std::string summary;  // e.g. "Cordon 30000 nodes of pool colossus-1 for lease owner-c1"
};

struct HandoverPlan {
  // Ordered; only what is still needed. Execute steps.front(), then observe again:
  // an Evict step is done when its pods are gone, not when evictions were sent.
  std::vector<HandoverStep> steps;
  // No node carries the outgoing tenant's label, taint or pods: the outgoing lease
  // may be marked Released and the incoming one Provisioning.
  bool outgoingReleased = false;
  // Nothing left to do: the incoming lease may be marked Active.
  bool complete() const { return steps.empty(); }
};

// Throws std::invalid_argument when there is neither an outgoing nor an incoming lease.
HandoverPlan planHandover(const HandoverInput& input);

}  // namespace landlord::placement
