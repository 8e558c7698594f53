#include "landlord/placement/handover.h"

#include <algorithm>
#include <stdexcept>

#include "landlord/placement/labels.h"

namespace landlord::placement {

namespace {

class Planner {
 public:
  explicit Planner(const HandoverInput& input)
      : input_(input), nodes_(input.nodes), cordonMark_(input.pool) {
    std::sort(nodes_.begin(), nodes_.end(),
              [](const ObservedNode& a, const ObservedNode& b) { return a.name < b.name; });
    // Re-leasing a pool to the tenant that holds it changes no node and evicts nothing.
    if (input.outgoing && input.incoming && input.outgoing->tenant == input.incoming->tenant) {
      for (ObservedNode& node : nodes_) {
        node.outgoingPods.clear();
      }
    }
  }

  HandoverPlan plan() {
    HandoverPlan plan;
    plan.outgoingReleased = std::none_of(nodes_.begin(), nodes_.end(), [&](const auto& node) {
      return carriesForeignTenant(node) || !node.outgoingPods.empty();
    });
    // Each stage is computed on the state the previous stages leave behind, so the
    // whole remaining plan is exact, not only its first step.
    addStep(plan, HandoverStage::Cordon, releasingLease(), &Planner::cordon);
    addStep(plan, HandoverStage::Evict, releasingLease(), &Planner::evict);
    addStep(plan, HandoverStage::Unlabel, releasingLease(), &Planner::unlabel);
    if (input_.incoming) {
      addStep(plan, HandoverStage::Label, input_.incoming->lease, &Planner::label);
      addStep(plan, HandoverStage::Taint, input_.incoming->lease, &Planner::taint);
    }
    addStep(plan, HandoverStage::Uncordon, finalLease(), &Planner::uncordon);
    return plan;
  }

 private:
  using Stage = void (Planner::*)(ObservedNode&, HandoverStep&);

  const std::string& releasingLease() const {
    return input_.outgoing ? input_.outgoing->lease : input_.incoming->lease;
  }
  const std::string& finalLease() const {
    return input_.incoming ? input_.incoming->lease : input_.outgoing->lease;
  }

  // A tenant label or taint other than the incoming tenant's.
  bool carriesForeignTenant(const ObservedNode& node) const {
    const auto label = node.labels.find(std::string(kTenantLabel));
    const bool foreignLabel = label != node.labels.end() && !isIncoming(label->second);
    const bool foreignTaint = node.tenantTaint && !isIncoming(*node.tenantTaint);
    return foreignLabel || foreignTaint;
  }

  bool isIncoming(const std::string& tenant) const {
    return input_.incoming && input_.incoming->tenant == tenant;
  }

  bool carriesIncomingTenant(const ObservedNode& node) const {
    if (!input_.incoming) {
      return true;
    }
    const auto label = node.labels.find(std::string(kTenantLabel));
    return label != node.labels.end() && isIncoming(label->second) && node.tenantTaint &&
           isIncoming(*node.tenantTaint);
  }

  bool settled(const ObservedNode& node) const {
    return !carriesForeignTenant(node) && node.outgoingPods.empty() && carriesIncomingTenant(node);
  }

  bool cordonedByHandover(const ObservedNode& node) const {
    const auto mark = node.labels.find(std::string(kCordonedByLabel));
    return node.unschedulable && mark != node.labels.end() && mark->second == cordonMark_;
  }

  void cordon(ObservedNode& node, HandoverStep& step) {
    if (node.unschedulable || settled(node)) {
      return;
    }
    node.unschedulable = true;
    node.labels[std::string(kCordonedByLabel)] = cordonMark_;
    step.nodeChanges.push_back(
        NodeChange{.node = node.name,
                   .unschedulable = true,
                   .setLabels = {{std::string(kCordonedByLabel), cordonMark_}},
                   .removeLabels = {},
                   .addTaint = std::nullopt,
                   .removeTaints = {}});
  }

  void evict(ObservedNode& node, HandoverStep& step) {
    for (const PodRef& pod : node.outgoingPods) {
      step.evictions.push_back(PodEviction{.node = node.name, .pod = pod});
    }
    node.outgoingPods.clear();
  }

  void unlabel(ObservedNode& node, HandoverStep& step) {
    if (!carriesForeignTenant(node)) {
      return;
    }
    NodeChange change;
    change.node = node.name;
    const auto label = node.labels.find(std::string(kTenantLabel));
    if (label != node.labels.end() && !isIncoming(label->second)) {
      change.removeLabels.push_back(label->first);
      node.labels.erase(label);
    }
    if (node.tenantTaint && !isIncoming(*node.tenantTaint)) {
      change.removeTaints.push_back(tenantTaint(*node.tenantTaint));
      node.tenantTaint.reset();
    }
    step.nodeChanges.push_back(std::move(change));
  }

  void label(ObservedNode& node, HandoverStep& step) {
    const std::string& tenant = input_.incoming->tenant;
    const auto label = node.labels.find(std::string(kTenantLabel));
    if (label != node.labels.end() && label->second == tenant) {
      return;
    }
    node.labels[std::string(kTenantLabel)] = tenant;
    NodeChange change;
    change.node = node.name;
    change.setLabels.emplace(kTenantLabel, tenant);
    step.nodeChanges.push_back(std::move(change));
  }

  void taint(ObservedNode& node, HandoverStep& step) {
    const std::string& tenant = input_.incoming->tenant;
    if (node.tenantTaint == tenant) {
      return;
    }
    node.tenantTaint = tenant;
    NodeChange change;
    change.node = node.name;
    change.addTaint = tenantTaint(tenant);
    step.nodeChanges.push_back(std::move(change));
  }

  void uncordon(ObservedNode& node, HandoverStep& step) {
    if (!cordonedByHandover(node)) {
      return;
    }
    node.unschedulable = false;
    node.labels.erase(std::string(kCordonedByLabel));
    step.nodeChanges.push_back(NodeChange{.node = node.name,
                                          .unschedulable = false,
                                          .setLabels = {},
                                          .removeLabels = {std::string(kCordonedByLabel)},
                                          .addTaint = std::nullopt,
                                          .removeTaints = {}});
  }

  static Taint tenantTaint(const std::string& tenant) {
    return Taint{.key = std::string(kTenantTaintKey),
                 .value = tenant,
                 .effect = std::string(kTenantTaintEffect)};
  }

  void addStep(HandoverPlan& plan, HandoverStage stage, const std::string& lease, Stage apply) {
    HandoverStep step;
    step.stage = stage;
    step.lease = lease;
    for (ObservedNode& node : nodes_) {
      (this->*apply)(node, step);
    }
    if (step.nodeChanges.empty() && step.evictions.empty()) {
      return;
    }
    const std::size_t count =
        stage == HandoverStage::Evict ? step.evictions.size() : step.nodeChanges.size();
    step.summary = std::string(toString(stage)) + " " + std::to_string(count) +
                   (stage == HandoverStage::Evict ? " pods" : " nodes") + " of pool " +
                   input_.pool + " for lease " + lease;
    plan.steps.push_back(std::move(step));
  }

  const HandoverInput& input_;
  std::vector<ObservedNode> nodes_;
  std::string cordonMark_;
};

}  // namespace

std::string_view toString(HandoverStage stage) {
  switch (stage) {
    case HandoverStage::Cordon:
      return "Cordon";
    case HandoverStage::Evict:
      return "Evict";
    case HandoverStage::Unlabel:
      return "Unlabel";
    case HandoverStage::Label:
      return "Label";
    case HandoverStage::Taint:
      return "Taint";
    case HandoverStage::Uncordon:
      return "Uncordon";
  }
  return "Unknown";
}

HandoverPlan planHandover(const HandoverInput& input) {
  if (!input.outgoing && !input.incoming) {
    throw std::invalid_argument("a handover needs an outgoing or an incoming lease");
  }
  return Planner(input).plan();
}

}  // namespace landlord::placement
