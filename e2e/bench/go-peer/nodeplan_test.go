// Tests of the handover's per-node decisions: which nodes are settled, and what
// the two guarded merge patches contain.
package main

import (
	"encoding/json"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var parties = handoverParties{from: "owner", to: "lessee", mark: "colossus-1"}

func node(tenant string, unschedulable bool, annotations map[string]string, taints ...corev1.Taint) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: "n1", ResourceVersion: "42",
			Labels:      map[string]string{tenantLabel: tenant, "topology.kubernetes.io/zone": "colossus-1"},
			Annotations: annotations,
		},
		Spec: corev1.NodeSpec{Unschedulable: unschedulable, Taints: taints},
	}
}

func tenantTaint(tenant string) corev1.Taint {
	return corev1.Taint{Key: tenantTaintKey, Value: tenant, Effect: corev1.TaintEffectNoSchedule}
}

func decode(t *testing.T, patch []byte) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(patch, &out); err != nil {
		t.Fatalf("patch is not JSON: %v: %s", err, patch)
	}
	return out
}

func TestSettledNeedsLabelAndOnlyTheIncomingTaintAndNoCordonOfOurs(t *testing.T) {
	ours := map[string]string{cordonedByAnnotation: "colossus-1"}
	cases := []struct {
		name string
		node *corev1.Node
		want bool
	}{
		{"incoming label and taint", node("lessee", false, nil, tenantTaint("lessee")), true},
		{"outgoing tenant", node("owner", false, nil, tenantTaint("owner")), false},
		{"label without taint", node("lessee", false, nil), false},
		{"stale outgoing taint beside the new one", node("lessee", false, nil, tenantTaint("lessee"), tenantTaint("owner")), false},
		{"still cordoned by the handover", node("lessee", true, ours, tenantTaint("lessee")), false},
		{"an administrator's cordon is not ours", node("lessee", true, nil, tenantTaint("lessee")), true},
	}
	for _, c := range cases {
		if got := parties.settled(c.node); got != c.want {
			t.Errorf("%s: settled = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCordonPatchIsGuardedAndRecordsTheCordon(t *testing.T) {
	patch, needed := parties.cordonPatch(node("owner", false, nil, tenantTaint("owner")))
	if !needed {
		t.Fatal("an owner's schedulable node needs a cordon")
	}
	want := map[string]any{
		"metadata": map[string]any{
			"resourceVersion": "42",
			"annotations":     map[string]any{cordonedByAnnotation: "colossus-1"},
		},
		"spec": map[string]any{"unschedulable": true},
	}
	if got := decode(t, patch); !reflect.DeepEqual(got, want) {
		t.Errorf("cordon patch = %v, want %v", got, want)
	}
}

func TestCordonSkipsSettledAndAlreadyCordonedNodes(t *testing.T) {
	if _, needed := parties.cordonPatch(node("lessee", false, nil, tenantTaint("lessee"))); needed {
		t.Error("a settled node got a cordon")
	}
	if _, needed := parties.cordonPatch(node("owner", true, nil, tenantTaint("owner"))); needed {
		t.Error("a node cordoned already (by an administrator) got a second cordon")
	}
}

func TestOwnershipPatchRelabelsRetaintsAndLiftsOurCordonInOneWrite(t *testing.T) {
	other := corev1.Taint{Key: "gpu", Value: "broken", Effect: corev1.TaintEffectNoExecute}
	cordoned := node("owner", true, map[string]string{cordonedByAnnotation: "colossus-1"}, other, tenantTaint("owner"))
	patch, needed := parties.ownershipPatch(cordoned)
	if !needed {
		t.Fatal("a cordoned owner's node needs the ownership write")
	}
	want := map[string]any{
		"metadata": map[string]any{
			"resourceVersion": "42",
			"labels":          map[string]any{tenantLabel: "lessee"},
			"annotations":     map[string]any{cordonedByAnnotation: nil},
		},
		"spec": map[string]any{
			"unschedulable": nil,
			"taints": []any{
				map[string]any{"key": "gpu", "value": "broken", "effect": "NoExecute"},
				map[string]any{"key": tenantTaintKey, "value": "lessee", "effect": "NoSchedule"},
			},
		},
	}
	if got := decode(t, patch); !reflect.DeepEqual(got, want) {
		t.Errorf("ownership patch = %v, want %v", got, want)
	}
}

func TestOwnershipPatchKeepsAnAdministratorsCordon(t *testing.T) {
	patch, needed := parties.ownershipPatch(node("owner", true, nil, tenantTaint("owner")))
	if !needed {
		t.Fatal("an owner's node needs the ownership write")
	}
	got := decode(t, patch)
	if _, touched := got["spec"].(map[string]any)["unschedulable"]; touched {
		t.Errorf("the ownership write lifts a cordon the handover did not set: %s", patch)
	}
	if _, touched := got["metadata"].(map[string]any)["annotations"]; touched {
		t.Errorf("the ownership write touches annotations it did not set: %s", patch)
	}
}

func TestOwnershipPatchSkipsSettledNodes(t *testing.T) {
	if _, needed := parties.ownershipPatch(node("lessee", false, nil, tenantTaint("lessee"))); needed {
		t.Error("a settled node got a second ownership write")
	}
}

func TestOutgoingPodsAreTheTenantsRunningNonDaemonSetPods(t *testing.T) {
	namespaces := map[string]bool{"owner-training": true}
	yes := true
	pod := func(namespace string, phase corev1.PodPhase, ownerKind string) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "p"}}
		p.Status.Phase = phase
		if ownerKind != "" {
			p.OwnerReferences = []metav1.OwnerReference{{Kind: ownerKind, Name: "o", Controller: &yes}}
		}
		return p
	}
	cases := []struct {
		name string
		pod  *corev1.Pod
		want bool
	}{
		{"running in the tenant's namespace", pod("owner-training", corev1.PodRunning, "ReplicaSet"), true},
		{"another tenant's", pod("lessee-inference", corev1.PodRunning, ""), false},
		{"finished", pod("owner-training", corev1.PodSucceeded, ""), false},
		{"failed", pod("owner-training", corev1.PodFailed, ""), false},
		{"a DaemonSet's", pod("owner-training", corev1.PodRunning, "DaemonSet"), false},
	}
	for _, c := range cases {
		if got := outgoingPod(c.pod, namespaces); got != c.want {
			t.Errorf("%s: outgoing = %v, want %v", c.name, got, c.want)
		}
	}
}
