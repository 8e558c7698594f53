// landlord-go-peer: the Go reference landlord's benchmarks measure against.
// `handover` hands a pool's nodes from one tenant to another with client-go and
// the fewest writes a crash-safe handover needs; `cache` caches every Node with
// controller-runtime's cache and reports the process's RSS; `webhook` answers
// every AdmissionReview allowed, judging nothing.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

const usage = `Usage: landlord-go-peer MODE [flags]

Modes:
  handover   hand a pool's nodes from tenant A to tenant B (cordon, list pods and
             evict A's, one atomic relabel-retaint-uncordon), print the time
  cache      cache every Node with controller-runtime's cache (managedFields
             stripped), print the process's RSS
  webhook    serve an admission webhook over HTTPS that allows everything,
             judging nothing: what any webhook call costs the API server

Run 'landlord-go-peer MODE -h' for the flags of a mode.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch mode, args := os.Args[1], os.Args[2:]; mode {
	case "handover":
		err = runHandover(args)
	case "cache":
		err = runCache(args)
	case "webhook":
		err = runWebhook(args)
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		err = usageError{fmt.Sprintf("unknown mode %q (want handover, cache or webhook)", mode)}
	}
	var bad usageError
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, &bad):
		fmt.Fprintf(os.Stderr, "landlord-go-peer: %s\n", bad.message)
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "landlord-go-peer: %v\n", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line: exit code 2, not 1.
type usageError struct{ message string }

func (e usageError) Error() string { return e.message }

// parseFlags parses args into fs, turning flag's own complaints into usageErrors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(os.Stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// loadConfig reads a kubeconfig the way kubectl does: the explicit path, else
// $KUBECONFIG, else ~/.kube/config.
func loadConfig(path string) (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = path
	config, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, nil).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	config.UserAgent = "landlord-go-peer"
	return config, nil
}

// splitList turns "a,b,,c" into [a b c].
func splitList(text string) []string {
	var out []string
	for _, item := range strings.Split(text, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
