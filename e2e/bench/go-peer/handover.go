// The handover mode: client-go, N workers, and per node the two writes a
// crash-safe handover needs (cordon; then, once the node is drained, one atomic
// relabel-retaint-uncordon), each guarded by resourceVersion and retried from a
// fresh read on 409. Every step is idempotent: rerun after a crash, it finishes.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

type handoverOptions struct {
	kubeconfig   string
	selector     string
	pool         string
	from, to     string
	namespaces   string
	workers      int
	qps          float64
	burst        int
	maxRetries   int
	drainTimeout time.Duration
}

// counters are what the run did, for the summary line.
type counters struct {
	cordons, ownershipWrites, evictions, podLists, conflicts, settled atomic.Int64
}

type handover struct {
	client     kubernetes.Interface
	parties    handoverParties
	namespaces map[string]bool
	options    handoverOptions
	counts     counters
}

func parseHandoverOptions(args []string) (handoverOptions, error) {
	var o handoverOptions
	fs := flag.NewFlagSet("handover", flag.ContinueOnError)
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig (default: $KUBECONFIG, then ~/.kube/config)")
	fs.StringVar(&o.selector, "selector", "", "the pool's nodes, e.g. topology.kubernetes.io/zone=colossus-1 (required)")
	fs.StringVar(&o.pool, "pool", "", "the pool's name, recorded in the cordon annotation (required)")
	fs.StringVar(&o.from, "from", "", "the outgoing tenant (required)")
	fs.StringVar(&o.to, "to", "", "the incoming tenant (required)")
	fs.StringVar(&o.namespaces, "from-namespaces", "",
		"the outgoing tenant's namespaces, comma-separated (default: read from its landlord.dev Tenant)")
	fs.IntVar(&o.workers, "concurrency", 8, "workers sharing one client (landlord's node writers use 8)")
	fs.Float64Var(&o.qps, "qps", -1, "client-side rate limit; <= 0 turns it off (the default, as in controller-runtime >= v0.21)")
	fs.IntVar(&o.burst, "burst", 30, "client-side burst, when --qps > 0")
	fs.IntVar(&o.maxRetries, "max-retries", 10, "attempts per write refused with 409 Conflict")
	fs.DurationVar(&o.drainTimeout, "drain-timeout", 10*time.Minute, "how long one node may take to drain")
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	for _, required := range []struct{ name, value string }{
		{"--selector", o.selector}, {"--pool", o.pool}, {"--from", o.from}, {"--to", o.to},
	} {
		if required.value == "" {
			return o, usageError{required.name + " is required"}
		}
	}
	switch {
	case o.from == o.to:
		return o, usageError{fmt.Sprintf("--from and --to are both %q: nothing to hand over", o.from)}
	case o.workers < 1 || o.workers > 1024:
		return o, usageError{fmt.Sprintf("--concurrency: must be between 1 and 1024, got %d", o.workers)}
	case o.qps > 0 && o.burst < 1:
		return o, usageError{fmt.Sprintf("--burst: must be at least 1 when --qps is set, got %d", o.burst)}
	case o.maxRetries < 1:
		return o, usageError{fmt.Sprintf("--max-retries: must be at least 1, got %d", o.maxRetries)}
	case o.drainTimeout <= 0:
		return o, usageError{fmt.Sprintf("--drain-timeout: must be positive, got %s", o.drainTimeout)}
	}
	return o, nil
}

func runHandover(args []string) error {
	options, err := parseHandoverOptions(args)
	if err != nil {
		return err
	}
	config, err := loadConfig(options.kubeconfig)
	if err != nil {
		return err
	}
	limit, limitFields := "off", "qps=off burst=off"
	if options.qps > 0 {
		config.QPS, config.Burst = float32(options.qps), options.burst
		limit = fmt.Sprintf("qps %g burst %d", options.qps, options.burst)
		limitFields = fmt.Sprintf("qps=%g burst=%d", options.qps, options.burst)
	} else {
		config.QPS = -1 // client-go: a negative QPS means no client-side limiter
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	namespaces := splitList(options.namespaces)
	if options.namespaces == "" {
		if namespaces, err = tenantNamespaces(ctx, config, options.from); err != nil {
			return err
		}
	}
	h := &handover{
		client:     client,
		parties:    handoverParties{from: options.from, to: options.to, mark: options.pool},
		namespaces: map[string]bool{},
		options:    options,
	}
	for _, ns := range namespaces {
		h.namespaces[ns] = true
	}

	listStart := time.Now()
	nodes, err := h.listNodes(ctx)
	if err != nil {
		return err
	}
	if len(nodes) == 0 {
		return fmt.Errorf("--selector %q: no node matches", options.selector)
	}
	listSeconds := time.Since(listStart).Seconds()
	fmt.Fprintf(os.Stderr, "go-peer: %d nodes of pool %s, %s -> %s, %d workers on one client-go client (client-side limit %s) to %s\n",
		len(nodes), options.pool, options.from, options.to, options.workers, limit, config.Host)

	// The clock starts where landlord's does not list either: its informer already holds the nodes.
	start := time.Now()
	phases := []struct {
		name string
		run  func(context.Context, []*corev1.Node, int) error
	}{
		{"cordon", h.cordon},
		{"drain", h.drain},
		{"hand over", h.handOver},
	}
	for _, phase := range phases {
		phaseStart := time.Now()
		if err := forEachNode(ctx, nodes, options.workers, phase.run); err != nil {
			return fmt.Errorf("%s: %w", phase.name, err)
		}
		fmt.Fprintf(os.Stderr, "go-peer: %-9s %d nodes in %.1f s\n", phase.name, len(nodes), time.Since(phaseStart).Seconds())
	}
	seconds := time.Since(start).Seconds()
	c := &h.counts
	writes := c.cordons.Load() + c.ownershipWrites.Load() + c.evictions.Load()
	fmt.Printf("peer-handover nodes=%d writes=%d seconds=%.1f writes_per_second=%.0f cordons=%d ownership_writes=%d"+
		" evictions=%d pod_lists=%d conflicts=%d already_settled=%d list_seconds=%.1f workers=%d %s\n",
		len(nodes), writes, seconds, float64(writes)/seconds, c.cordons.Load(), c.ownershipWrites.Load(),
		c.evictions.Load(), c.podLists.Load(), c.conflicts.Load(), c.settled.Load(), listSeconds,
		options.workers, limitFields)
	return nil
}

// tenantNamespaces reads spec.namespaces of the landlord.dev Tenant named tenant.
func tenantNamespaces(ctx context.Context, config *rest.Config, tenant string) ([]string, error) {
	client, err := dynamic.NewForConfig(config)
	if err != nil {
		return nil, fmt.Errorf("dynamic client: %w", err)
	}
	tenants := schema.GroupVersionResource{Group: "landlord.dev", Version: "v1alpha1", Resource: "tenants"}
	object, err := client.Resource(tenants).Get(ctx, tenant, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("--from-namespaces not given and Tenant %q could not be read: %w", tenant, err)
	}
	namespaces, _, err := unstructured.NestedStringSlice(object.Object, "spec", "namespaces")
	if err != nil {
		return nil, fmt.Errorf("Tenant %q: spec.namespaces: %w", tenant, err)
	}
	return namespaces, nil
}

func (h *handover) listNodes(ctx context.Context) ([]*corev1.Node, error) {
	var nodes []*corev1.Node
	options := metav1.ListOptions{LabelSelector: h.options.selector, Limit: 500}
	for {
		page, err := h.client.CoreV1().Nodes().List(ctx, options)
		if err != nil {
			return nil, fmt.Errorf("list nodes %q: %w", h.options.selector, err)
		}
		for i := range page.Items {
			nodes = append(nodes, &page.Items[i])
		}
		if page.Continue == "" {
			break
		}
		options.Continue = page.Continue
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].Name < nodes[j].Name })
	return nodes, nil
}

// forEachNode runs fn on every index of nodes from `workers` goroutines; each
// index is handled by one goroutine, so fn may replace nodes[i]. The first
// error stops the rest.
func forEachNode(ctx context.Context, nodes []*corev1.Node, workers int,
	fn func(context.Context, []*corev1.Node, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(nodes) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				if err := fn(ctx, nodes, i); err != nil {
					cancel(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return context.Cause(ctx)
}

// patchGuarded sends the patch build makes from the node last read, and on 409
// Conflict reads the node again and rebuilds it, so the write always rests on
// what the API server holds. It returns the node as written (or as read, when
// the fresh read needs no write any more).
func (h *handover) patchGuarded(ctx context.Context, node *corev1.Node,
	build func(*corev1.Node) ([]byte, bool)) (*corev1.Node, bool, error) {
	nodes, name := h.client.CoreV1().Nodes(), node.Name
	for attempt := 1; ; attempt++ {
		patch, needed := build(node)
		if !needed {
			return node, false, nil
		}
		written, err := nodes.Patch(ctx, name, types.MergePatchType, patch, metav1.PatchOptions{})
		if err == nil {
			return written, true, nil
		}
		if !apierrors.IsConflict(err) || attempt >= h.options.maxRetries {
			return nil, false, fmt.Errorf("patch node %s (attempt %d): %w", name, attempt, err)
		}
		h.counts.conflicts.Add(1)
		if node, err = nodes.Get(ctx, name, metav1.GetOptions{}); err != nil {
			return nil, false, fmt.Errorf("read node %s after a conflict: %w", name, err)
		}
	}
}

func (h *handover) cordon(ctx context.Context, nodes []*corev1.Node, i int) error {
	if h.parties.settled(nodes[i]) {
		h.counts.settled.Add(1)
		return nil
	}
	written, wrote, err := h.patchGuarded(ctx, nodes[i], h.parties.cordonPatch)
	if err != nil {
		return err
	}
	if wrote {
		h.counts.cordons.Add(1)
	}
	nodes[i] = written
	return nil
}

// drain evicts the outgoing tenant's pods from the node through the Eviction
// API (which honours PodDisruptionBudgets) and waits until they are gone.
func (h *handover) drain(ctx context.Context, nodes []*corev1.Node, i int) error {
	node := nodes[i]
	if h.parties.settled(node) {
		return nil
	}
	deadline := time.Now().Add(h.options.drainTimeout)
	onNode := metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("spec.nodeName", node.Name).String()}
	for {
		pods, err := h.client.CoreV1().Pods("").List(ctx, onNode)
		h.counts.podLists.Add(1)
		if err != nil {
			return fmt.Errorf("list pods on node %s: %w", node.Name, err)
		}
		remaining := 0
		for p := range pods.Items {
			pod := &pods.Items[p]
			if !outgoingPod(pod, h.namespaces) {
				continue
			}
			remaining++
			if pod.DeletionTimestamp != nil {
				continue // evicted already; wait for it to go
			}
			err := h.client.PolicyV1().Evictions(pod.Namespace).Evict(ctx, &policyv1.Eviction{
				ObjectMeta: metav1.ObjectMeta{Name: pod.Name, Namespace: pod.Namespace},
			})
			switch {
			case err == nil:
				h.counts.evictions.Add(1)
			case apierrors.IsNotFound(err):
			case apierrors.IsTooManyRequests(err):
				// A PodDisruptionBudget holds it for now; ask again on the next pass.
			default:
				return fmt.Errorf("evict pod %s/%s from node %s: %w", pod.Namespace, pod.Name, node.Name, err)
			}
		}
		if remaining == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("node %s: %d pods of tenant %s still there after %s (--drain-timeout)",
				node.Name, remaining, h.options.from, h.options.drainTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func (h *handover) handOver(ctx context.Context, nodes []*corev1.Node, i int) error {
	written, wrote, err := h.patchGuarded(ctx, nodes[i], h.parties.ownershipPatch)
	if err != nil {
		return err
	}
	if wrote {
		h.counts.ownershipWrites.Add(1)
	}
	nodes[i] = written
	return nil
}
