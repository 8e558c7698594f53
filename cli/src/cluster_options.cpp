#include "cluster_options.h"

#include "landlord/cli/command_registry.h"
#include "landlord/operator/base/errors.h"

namespace landlord::cli {

OptionSpec kubeconfigOption() {
  return {.name = "kubeconfig",
          .shortName = '\0',
          .valueName = "FILE",
          .help = "kubeconfig to use (default: $KUBECONFIG, in-cluster, ~/.kube/config)",
          .required = false,
          .defaultValue = std::nullopt,
          .choices = {}};
}

OptionSpec contextOption() {
  return {.name = "context",
          .shortName = '\0',
          .valueName = "NAME",
          .help = "kubeconfig context (default: the current context)",
          .required = false,
          .defaultValue = std::nullopt,
          .choices = {}};
}

bool readsCluster(const Arguments& arguments) {
  if (!arguments.has("fleet")) {
    return true;
  }
  for (const char* option : {"kubeconfig", "context"}) {
    if (arguments.has(option)) {
      throw UsageError(std::string("--") + option +
                       " chooses a live cluster, --fleet a file instead: give one or the other");
    }
  }
  return false;
}

ClusterConnection connect(const Arguments& arguments, const ClusterAccess& access) {
  const ClusterTarget target{.kubeconfig = arguments.optional("kubeconfig").value_or(""),
                             .context = arguments.optional("context").value_or("")};
  try {
    return access.connect(target);
  } catch (const kube::KubeError& error) {
    throw CommandError(std::string("cannot reach a cluster: ") + error.what());
  }
}

void explainFailure(std::string_view doing, const std::function<void()>& request) {
  try {
    request();
  } catch (const kube::NotFoundError& error) {
    // A missing object comes back as a Status naming it; an API the server does not
    // serve at all as a bare 404 page.
    const bool apiNotServed =
        error.request().path.starts_with("/apis/landlord.dev/") && error.status().name.empty();
    std::string message = std::string(doing) + ": " + error.what();
    if (apiNotServed) {
      message +=
          "\nthe cluster does not serve the landlord.dev API: install the CRDs first "
          "(helm install landlord helm/landlord, or kubectl apply -f crds/)";
    }
    throw CommandError(message);
  } catch (const kube::KubeError& error) {
    throw CommandError(std::string(doing) + ": " + error.what());
  }
}

}  // namespace landlord::cli
