#pragma once

// The names landlord owns on Kubernetes objects: node labels, the tenant taint and
// the hold taint, the label pods opt in with, the finalizers, and the condition
// types of the four kinds. landlord sets no annotations and never cordons a node.

#include <string_view>

#include "landlord/placement/labels.h"

namespace landlord::api::inline v1alpha1 {

// Every label landlord owns starts with this.
inline constexpr std::string_view kLabelPrefix = "landlord.dev/";

// Node labels and the taint, defined with the handover planner that writes them
// (placement/labels.h), named here as part of the API.
using placement::kGpuModelLabel;    // landlord.dev/gpu-model=<catalog model>
using placement::kHoldTaintEffect;  // NoSchedule
using placement::kHoldTaintKey;     // landlord.dev/handover=<pool>:NoSchedule: held for a handover
using placement::kPoolLabel;        // landlord.dev/pool=<GPUPool>
using placement::kTenantLabel;      // landlord.dev/tenant=<Tenant>
using placement::kTenantTaintEffect;  // NoSchedule
using placement::kTenantTaintKey;     // landlord.dev/tenant=<Tenant>:NoSchedule

// Pods opt in to a Placement with landlord.dev/placement=<name>.
using placement::kPlacementLabel;

// A PoolLease carries it so that deleting the lease releases its nodes first; a
// GPUPool so that its nodes lose every landlord mark before it is gone.
inline constexpr std::string_view kLeaseFinalizer = "landlord.dev/release-nodes";
inline constexpr std::string_view kPoolFinalizer = "landlord.dev/release-nodes";
// A Tenant carries it so that its leases release their pools (and drain its pods,
// while its namespaces are still known) before it is gone.
inline constexpr std::string_view kTenantFinalizer = "landlord.dev/release-leases";

// Condition types (metav1.Condition); every kind has the summary Ready. Plain
// strings, so that a Condition can be written as {kReadyCondition, "True", ...}.
inline constexpr const char* kReadyCondition = "Ready";
// GPUPool
inline constexpr const char* kNodesConflictCondition = "NodesConflict";
inline constexpr const char* kUnknownGpuProductsCondition = "UnknownGPUProducts";
inline constexpr const char* kNodesConvergedCondition = "NodesConverged";
// PoolLease
inline constexpr const char* kPoolClaimedCondition = "PoolClaimed";
inline constexpr const char* kProvisionedCondition = "Provisioned";
inline constexpr const char* kDrainedCondition = "Drained";
// Placement
inline constexpr const char* kPlacedCondition = "Placed";

}  // namespace landlord::api::inline v1alpha1
