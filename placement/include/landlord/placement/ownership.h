#pragma once

// Who a node belongs to and the one write that makes it so: the decision behind
// landlord's isolation invariant, as a pure function of what is observed on one
// node (its marks and its pods) and who should own it now. Nothing is remembered,
// so a controller that restarts at any moment re-observes and resumes.
//
// The marks landlord owns on a node: the labels landlord.dev/pool and
// landlord.dev/gpu-model (membership), the label and NoSchedule taint
// landlord.dev/tenant=<tenant> (ownership), and the hold, a NoSchedule taint
// landlord.dev/handover=<pool> that keeps every pod off a node while it changes
// hands. landlord never writes spec.unschedulable, so an administrator's cordon is
// theirs alone, whenever it was made, and is never undone.
//
// A handover is two writes per node: the outgoing lease holds the node (write 1)
// and its tenant's pods leave; then one write labels and taints the node for the
// incoming tenant and lifts the hold (write 2). Provisioning a free pool is one.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace landlord::placement {

struct MarkTaint {
  std::string value;
  std::string effect;
  bool operator==(const MarkTaint&) const = default;
};

// The marks landlord owns on a node, as observed (or as one write leaves them).
struct NodeMarks {
  std::optional<std::string> pool;      // landlord.dev/pool label
  std::optional<std::string> gpuModel;  // landlord.dev/gpu-model label
  std::optional<std::string> tenant;    // landlord.dev/tenant label
  // Every taint with the key landlord.dev/tenant, and with landlord.dev/handover,
  // whatever its effect: the keys are landlord's, and a converged node has at most
  // one of each, with effect NoSchedule.
  std::vector<MarkTaint> tenantTaints;
  std::vector<MarkTaint> holdTaints;

  // Labelled and tainted for `tenant` exactly (one tenant taint, NoSchedule).
  bool ownedBy(const std::string& tenant) const;
  bool held() const { return !holdTaints.empty(); }
  bool operator==(const NodeMarks&) const = default;
};

enum class OwnerMode {
  Free,  // nobody's: no tenant label, tenant taint or hold
  Own,   // the tenant's: its label and taint, no hold, no pod of another tenant
  Hold,  // leaving the tenant: held, the tenant's pods evicted, its label and taint kept
};

// What the node should look like now, worked out from its pool and the lease
// holding that pool.
struct DesiredOwner {
  std::optional<std::string> pool;      // the pool the node belongs to now; none
  std::optional<std::string> gpuModel;  // the catalog model of its GPUs, when a member
  OwnerMode mode = OwnerMode::Free;
  std::string tenant;  // Own: the owner; Hold: the tenant whose pods leave
  // Hold: whether the tenant's pods are evicted now (not once its lease has failed
  // its drain: the nodes stay held until someone relaxes the policy).
  bool evict = true;
};

struct PodRef {
  std::string namespace_;
  std::string name;
  bool operator==(const PodRef&) const = default;
};

// A pod bound to the node.
struct NodePod {
  PodRef pod;
  std::optional<std::string> tenant;  // the Tenant listing its namespace; none
  bool exempt = false;                // never evicted, never foreign (system pods)
  bool finished = false;              // Succeeded or Failed: holds nothing
  bool terminating = false;           // already on its way out
};

enum class NodeState {
  Converged,  // nothing to write, no pod to wait for
  Writing,    // one write is due (hold, transfer, release, pool labels)
  Evicting,   // pods must leave first (or, on a node already the owner's, at all)
};

struct OwnershipDecision {
  // The marks after the one write this node needs now; none when it needs none.
  std::optional<NodeMarks> write;
  std::vector<PodRef> evict;  // pods to evict now (not yet terminating)
  std::size_t leaving = 0;    // pods that must still leave, terminating ones included
  bool foreignPods = false;   // those pods belong to another tenant than the owner
  NodeState state = NodeState::Converged;
};

// The next write (at most one) and the evictions that bring `observed` towards
// `desired`. `pods` are the pods bound to the node.
//   Free: one write removes the tenant label, tenant taints and the hold; no pod
//     is evicted (the node is nobody's; a lease ending drains its own pods first).
//   Hold: the hold is written if missing; the tenant's pods are evicted.
//   Own:  a node already the owner's and not held only has foreign pods evicted
//     (its taint keeps new ones off). Otherwise, while pods of another tenant are on
//     it, it is held and they are evicted; once none is left, one write labels and
//     taints it for the owner (replacing any other tenant's taint) and lifts the hold.
// The pool and gpu-model labels go along with whichever write is due, or alone.
OwnershipDecision decideOwnership(const NodeMarks& observed, const DesiredOwner& desired,
                                  const std::vector<NodePod>& pods);

}  // namespace landlord::placement
