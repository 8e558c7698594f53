#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "landlord/cli/arguments.h"
#include "landlord/cli/cluster.h"

namespace landlord::cli {

// --kubeconfig and --context, with kubectl's meaning.
OptionSpec kubeconfigOption();
OptionSpec contextOption();

// True when a command that reads a fleet file or the live cluster should read the
// cluster (no --fleet); throws UsageError when --fleet comes with --kubeconfig or
// --context, which would be silently ignored.
bool readsCluster(const Arguments& arguments);

// Connects to the cluster the options name; a configuration that cannot be used
// becomes a CommandError saying so and what was tried.
ClusterConnection connect(const Arguments& arguments, const ClusterAccess& access);

// Runs one request, turning an API or transport error into a CommandError that
// says what was being done: "listing GPUPools: GET https://...: 403 Forbidden: ...".
// A 404 on a landlord.dev collection means the CRDs are not installed, and says so.
void explainFailure(std::string_view doing, const std::function<void()>& request);

}  // namespace landlord::cli
