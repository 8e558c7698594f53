// The cache mode: controller-runtime's cache holding every Node, managedFields
// stripped on arrival (cache.TransformStripManagedFields), as a controller-runtime
// operator that reads Nodes would run it. Prints the process's RSS once the cache
// has synced, whole and per cached Node.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiruntime "k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

type cacheOptions struct {
	kubeconfig  string
	syncTimeout time.Duration
	hold        bool
}

func parseCacheOptions(args []string) (cacheOptions, error) {
	var o cacheOptions
	fs := flag.NewFlagSet("cache", flag.ContinueOnError)
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig (default: $KUBECONFIG, then ~/.kube/config)")
	fs.DurationVar(&o.syncTimeout, "sync-timeout", 30*time.Minute, "how long the first sync may take")
	fs.BoolVar(&o.hold, "hold", false, "after printing, keep the cache running until SIGTERM or SIGINT, "+
		"so that another process can read this one's RSS")
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	if o.syncTimeout <= 0 {
		return o, usageError{fmt.Sprintf("--sync-timeout: must be positive, got %s", o.syncTimeout)}
	}
	return o, nil
}

func runCache(args []string) error {
	options, err := parseCacheOptions(args)
	if err != nil {
		return err
	}
	config, err := loadConfig(options.kubeconfig)
	if err != nil {
		return err
	}
	config.QPS = -1 // measure the cache, not a client-side throttle
	scheme := apiruntime.NewScheme()
	if err := corev1.AddToScheme(scheme); err != nil {
		return fmt.Errorf("scheme: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	runtime.GC()
	before, err := residentBytes()
	if err != nil {
		return err
	}
	start := time.Now()
	nodeCache, err := cache.New(config, cache.Options{
		Scheme:           scheme,
		DefaultTransform: cache.TransformStripManagedFields(),
	})
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if _, err := nodeCache.GetInformer(ctx, &corev1.Node{}); err != nil {
		return fmt.Errorf("node informer: %w", err)
	}
	cacheDone := make(chan error, 1)
	go func() { cacheDone <- nodeCache.Start(ctx) }()
	syncCtx, cancelSync := context.WithTimeout(ctx, options.syncTimeout)
	synced := nodeCache.WaitForCacheSync(syncCtx)
	cancelSync()
	if !synced {
		return fmt.Errorf("the Node cache did not sync within %s (--sync-timeout)", options.syncTimeout)
	}
	syncSeconds := time.Since(start).Seconds()
	nodes, err := cachedNodes(ctx, nodeCache)
	if err != nil {
		return err
	}
	if nodes == 0 {
		return fmt.Errorf("the cache holds no Node: nothing to measure")
	}

	runtime.GC()
	afterGC, err := residentBytes()
	if err != nil {
		return err
	}
	// What is left once the runtime hands freed pages back: the floor, for the same
	// treatment as landlord's informer bench gives its heap (malloc_trim).
	debug.FreeOSMemory()
	released, err := residentBytes()
	if err != nil {
		return err
	}
	perNode := func(bytes int64) int64 { return bytes / int64(nodes) }
	fmt.Printf("peer-cache nodes=%d sync_seconds=%.2f rss_before_bytes=%d rss_bytes=%d rss_per_node=%d"+
		" delta_per_node=%d rss_released_bytes=%d released_delta_per_node=%d\n",
		nodes, syncSeconds, before, afterGC, perNode(afterGC), perNode(afterGC-before),
		released, perNode(released-before))
	if !options.hold {
		return nil
	}
	fmt.Printf("peer-cache holding pid=%d\n", os.Getpid())
	os.Stdout.Sync()
	if err := <-cacheDone; err != nil && ctx.Err() == nil {
		return fmt.Errorf("cache stopped: %w", err)
	}
	return nil
}

// cachedNodes counts the Nodes the cache holds, without copying them.
func cachedNodes(ctx context.Context, nodeCache cache.Cache) (int, error) {
	var list corev1.NodeList
	if err := nodeCache.List(ctx, &list, client.UnsafeDisableDeepCopy); err != nil {
		return 0, fmt.Errorf("list cached nodes: %w", err)
	}
	return len(list.Items), nil
}
