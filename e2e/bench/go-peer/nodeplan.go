// The handover's decisions about one Node, with no I/O: whether it is already
// settled on the incoming tenant, and the two merge patches (cordon, then the
// atomic relabel-retaint-uncordon), each guarded by the resourceVersion read.
package main

import (
	"encoding/json"

	corev1 "k8s.io/api/core/v1"
)

const (
	tenantLabel    = "landlord.dev/tenant"
	tenantTaintKey = "landlord.dev/tenant"
	// Set with spec.unschedulable by the cordon (value: the pool), so the final
	// write uncordons only what the handover cordoned and leaves an
	// administrator's cordon alone.
	cordonedByAnnotation = "landlord.dev/cordoned-by"
)

// handoverParties names who gives the pool up, who takes it, and the mark the
// cordon leaves.
type handoverParties struct {
	from, to string
	mark     string
}

// settled: the node already carries exactly the incoming tenant's label and
// taint and no cordon of this handover. Nothing is left to do on it.
func (p handoverParties) settled(node *corev1.Node) bool {
	if node.Labels[tenantLabel] != p.to || p.cordonedByHandover(node) {
		return false
	}
	tenantTaints := 0
	for _, taint := range node.Spec.Taints {
		if taint.Key != tenantTaintKey {
			continue
		}
		tenantTaints++
		if taint.Value != p.to || taint.Effect != corev1.TaintEffectNoSchedule {
			return false
		}
	}
	return tenantTaints == 1
}

func (p handoverParties) cordonedByHandover(node *corev1.Node) bool {
	return node.Spec.Unschedulable && node.Annotations[cordonedByAnnotation] == p.mark
}

// cordonPatch marks the node unschedulable and records that this handover did
// it. None when the node is settled or already cordoned (by us before a crash,
// or by an administrator, whose cordon the handover then keeps).
func (p handoverParties) cordonPatch(node *corev1.Node) ([]byte, bool) {
	if p.settled(node) || node.Spec.Unschedulable {
		return nil, false
	}
	return mustJSON(map[string]any{
		"metadata": map[string]any{
			"resourceVersion": node.ResourceVersion,
			"annotations":     map[string]any{cordonedByAnnotation: p.mark},
		},
		"spec": map[string]any{"unschedulable": true},
	}), true
}

// ownershipPatch is the one atomic write that hands the drained node over: the
// incoming tenant's label, its taint in place of any other tenant's, and the
// handover's cordon lifted. A merge patch replaces the taint list whole, which
// the resourceVersion guard makes safe.
func (p handoverParties) ownershipPatch(node *corev1.Node) ([]byte, bool) {
	if p.settled(node) {
		return nil, false
	}
	taints := []corev1.Taint{}
	for _, taint := range node.Spec.Taints {
		if taint.Key != tenantTaintKey {
			taints = append(taints, taint)
		}
	}
	taints = append(taints, corev1.Taint{
		Key: tenantTaintKey, Value: p.to, Effect: corev1.TaintEffectNoSchedule,
	})
	spec := map[string]any{"taints": taints}
	metadata := map[string]any{
		"resourceVersion": node.ResourceVersion,
		"labels":          map[string]any{tenantLabel: p.to},
	}
	if p.cordonedByHandover(node) {
		spec["unschedulable"] = nil
		metadata["annotations"] = map[string]any{cordonedByAnnotation: nil}
	}
	return mustJSON(map[string]any{"metadata": metadata, "spec": spec}), true
}

// outgoingPod: a pod the handover must evict from the node before it changes
// hands, as landlord decides it: in one of the outgoing tenant's namespaces,
// still running, and not a DaemonSet's (those belong to the node).
func outgoingPod(pod *corev1.Pod, namespaces map[string]bool) bool {
	if !namespaces[pod.Namespace] {
		return false
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return false
	}
	for _, owner := range pod.OwnerReferences {
		if owner.Kind == "DaemonSet" && owner.Controller != nil && *owner.Controller {
			return false
		}
	}
	return true
}

func mustJSON(value any) []byte {
	data, err := json.Marshal(value)
	if err != nil {
		panic(err) // maps of strings, bools and Taints always marshal
	}
	return data
}
