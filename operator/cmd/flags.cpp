#include "flags.h"

#include <cmath>
#include <functional>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "landlord/operator/base/duration.h"

namespace landlord::kube {

namespace {

struct FlagSpec {
  std::string name;
  std::string valueName;  // empty for booleans
  std::string defaultText;
  std::string help;
  std::function<void(OperatorFlags&, const std::string&)> set;
};

// A namespace name (DNS-1123 label).
bool isNamespaceName(const std::string& text) {
  static const std::regex label("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  return text.size() <= 63 && std::regex_match(text, label);
}

// "a, b,c" into its entries, blanks trimmed and empty ones dropped.
std::set<std::string> listEntries(const std::string& list) {
  std::set<std::string> out;
  std::stringstream in(list);
  std::string entry;
  while (std::getline(in, entry, ',')) {
    const auto first = entry.find_first_not_of(' ');
    const auto last = entry.find_last_not_of(' ');
    if (first != std::string::npos) {
      out.insert(entry.substr(first, last - first + 1));
    }
  }
  return out;
}

std::set<std::string> parseNamespaces(const std::string& list) {
  std::set<std::string> out = listEntries(list);
  for (const std::string& ns : out) {
    if (!isNamespaceName(ns)) {
      throw std::invalid_argument("\"" + ns + "\" is not a namespace name");
    }
  }
  return out;
}

std::set<std::string> parseDaemonSets(const std::string& list) {
  std::set<std::string> out = listEntries(list);
  for (const std::string& daemonSet : out) {
    const std::size_t slash = daemonSet.find('/');
    if (slash == std::string::npos || !isNamespaceName(daemonSet.substr(0, slash)) ||
        slash + 1 == daemonSet.size() || daemonSet.find('/', slash + 1) != std::string::npos) {
      throw std::invalid_argument("\"" + daemonSet + "\" is not namespace/name of a DaemonSet");
    }
  }
  return out;
}

int parseInt(const std::string& text) {
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::logic_error&) {  // invalid_argument or out_of_range
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw std::invalid_argument("not an integer");
  }
  return value;
}

double parseDouble(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::logic_error&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value)) {
    throw std::invalid_argument("not a number");
  }
  return value;
}

bool parseBool(const std::string& text) {
  if (text == "true" || text == "1" || text == "t" || text == "TRUE" || text == "True") {
    return true;
  }
  if (text == "false" || text == "0" || text == "f" || text == "FALSE" || text == "False") {
    return false;
  }
  throw std::invalid_argument("not a boolean");
}

// Go duration syntax ("1h2m3.5s", "1.5m", "300ms", "0"), to the millisecond.
std::chrono::milliseconds duration(const std::string& text) {
  return std::chrono::round<std::chrono::milliseconds>(parseDuration(text));
}

std::chrono::milliseconds positiveDuration(const std::string& text) {
  const auto d = duration(text);
  if (d <= std::chrono::milliseconds::zero()) {
    throw std::invalid_argument("must be positive");
  }
  return d;
}

const std::vector<FlagSpec>& flagSpecs() {
  static const std::vector<FlagSpec> specs = {
      {"kubeconfig", "string", "",
       "Path to a kubeconfig. Only required if out-of-cluster; default $KUBECONFIG or "
       "~/.kube/config.",
       [](OperatorFlags& f, const std::string& v) { f.kubeconfig = v; }},
      {"context", "string", "", "The kubeconfig context to use; default its current-context.",
       [](OperatorFlags& f, const std::string& v) { f.context = v; }},
      {"leader-elect", "", "false",
       "Enable leader election, ensuring only one active controller manager.",
       [](OperatorFlags& f, const std::string& v) { f.leaderElect = parseBool(v); }},
      {"leader-election-id", "string", "landlord.landlord.dev",
       "Name of the Lease used for leader election.",
       [](OperatorFlags& f, const std::string& v) {
         if (v.empty()) {
           throw std::invalid_argument("must not be empty");
         }
         f.leaderElectionId = v;
       }},
      {"leader-election-namespace", "string", "",
       "Namespace of the leader election Lease; default the pod's namespace.",
       [](OperatorFlags& f, const std::string& v) { f.leaderElectionNamespace = v; }},
      {"leader-elect-lease-duration", "duration", "15s",
       "How long non-leaders wait after the last renewal before taking the lease.",
       [](OperatorFlags& f, const std::string& v) {
         f.leaderElectLeaseDuration = positiveDuration(v);
       }},
      {"leader-elect-renew-deadline", "duration", "10s",
       "How long the leader retries renewing before giving up leadership.",
       [](OperatorFlags& f, const std::string& v) {
         f.leaderElectRenewDeadline = positiveDuration(v);
       }},
      {"leader-elect-retry-period", "duration", "2s",
       "How long candidates wait between attempts to acquire or renew.",
       [](OperatorFlags& f, const std::string& v) {
         f.leaderElectRetryPeriod = positiveDuration(v);
       }},
      {"metrics-bind-address", "string", ":8080",
       "The address the metrics endpoint binds to; \"0\" disables it.",
       [](OperatorFlags& f, const std::string& v) { f.metricsBindAddress = v; }},
      {"health-probe-bind-address", "string", ":8081",
       "The address the /healthz and /readyz endpoints bind to; \"0\" disables them.",
       [](OperatorFlags& f, const std::string& v) { f.healthProbeBindAddress = v; }},
      {"webhook-bind-address", "string", ":9443",
       "The address the admission webhook HTTPS server binds to; \"0\" disables it.",
       [](OperatorFlags& f, const std::string& v) { f.webhookBindAddress = v; }},
      {"webhook-cert-path", "string", "/tmp/k8s-webhook-server/serving-certs",
       "The directory holding the webhook server's certificate and key; they are reloaded when "
       "they change.",
       [](OperatorFlags& f, const std::string& v) {
         if (v.empty()) {
           throw std::invalid_argument("must not be empty");
         }
         f.webhookCertPath = v;
       }},
      {"webhook-cert-name", "string", "tls.crt",
       "The webhook server's certificate file (PEM, leaf first) in --webhook-cert-path.",
       [](OperatorFlags& f, const std::string& v) {
         if (v.empty()) {
           throw std::invalid_argument("must not be empty");
         }
         f.webhookCertName = v;
       }},
      {"webhook-cert-key", "string", "tls.key",
       "The webhook server's private key file (PEM) in --webhook-cert-path.",
       [](OperatorFlags& f, const std::string& v) {
         if (v.empty()) {
           throw std::invalid_argument("must not be empty");
         }
         f.webhookCertKey = v;
       }},
      {"catalog", "string", "",
       "GPU catalog file (YAML: models with architecture, H100-equivalents, price and GPU "
       "Feature Discovery products). Empty: the built-in catalog.",
       [](OperatorFlags& f, const std::string& v) { f.catalogPath = v; }},
      {"kube-api-qps", "float", "0",
       "Queries per second to the API server, limited client side; 0 turns the client-side "
       "limit off and leaves flow control to the API server's Priority and Fairness, as "
       "controller-runtime does.",
       [](OperatorFlags& f, const std::string& v) {
         f.kubeApiQps = parseDouble(v);
         if (f.kubeApiQps < 0) {
           throw std::invalid_argument("must not be negative");
         }
       }},
      {"kube-api-burst", "int", "30",
       "Burst of queries to the API server above --kube-api-qps (client side; unused when "
       "--kube-api-qps is 0).",
       [](OperatorFlags& f, const std::string& v) {
         f.kubeApiBurst = parseInt(v);
         if (f.kubeApiBurst < 1) {
           throw std::invalid_argument("must be at least 1");
         }
       }},
      {"max-concurrent-reconciles", "int", "1",
       "Workers of the GPUPool, PoolLease and Tenant controllers (Placement keeps one).",
       [](OperatorFlags& f, const std::string& v) {
         f.maxConcurrentReconciles = parseInt(v);
         if (f.maxConcurrentReconciles < 1) {
           throw std::invalid_argument("must be at least 1");
         }
       }},
      {"node-ownership-workers", "int", "8",
       "Node ownership reconciles in flight; each writes at most one node.",
       [](OperatorFlags& f, const std::string& v) {
         f.nodeOwnershipWorkers = parseInt(v);
         if (f.nodeOwnershipWorkers < 1) {
           throw std::invalid_argument("must be at least 1");
         }
       }},
      {"ownership-exempt-namespaces", "strings", "kube-system,kube-node-lease",
       "Namespaces whose pods node ownership never evicts nor counts as a tenant's "
       "(comma-separated; the chart adds its release namespace).",
       [](OperatorFlags& f, const std::string& v) {
         f.ownershipExemptNamespaces = parseNamespaces(v);
       }},
      {"ownership-exempt-daemonsets", "strings", "",
       "DaemonSets (namespace/name, comma-separated) whose pods node ownership never evicts.",
       [](OperatorFlags& f, const std::string& v) {
         f.ownershipExemptDaemonSets = parseDaemonSets(v);
       }},
      {"graceful-shutdown-timeout", "duration", "30s",
       "How long in-flight reconciles may run after SIGTERM before the process exits anyway.",
       [](OperatorFlags& f, const std::string& v) { f.gracefulShutdownTimeout = duration(v); }},
      {"log-format", "string", "text", "Log line format: text or json.",
       [](OperatorFlags& f, const std::string& v) {
         const auto format = parseLogFormat(v);
         if (!format) {
           throw std::invalid_argument("must be text or json");
         }
         f.logFormat = *format;
       }},
      {"log-level", "string", "info", "Minimum level logged: trace, debug, info, warn, error.",
       [](OperatorFlags& f, const std::string& v) {
         const auto level = parseLogLevel(v);
         if (!level) {
           throw std::invalid_argument("must be trace, debug, info, warn or error");
         }
         f.logLevel = *level;
       }},
      {"v", "int", "0", "Verbosity: 1 logs debug, 2 and above trace (overrides --log-level).",
       [](OperatorFlags& f, const std::string& v) {
         const int verbosity = parseInt(v);
         if (verbosity < 0) {
           throw std::invalid_argument("must not be negative");
         }
         if (verbosity >= 2) {
           f.logLevel = spdlog::level::trace;
         } else if (verbosity == 1) {
           f.logLevel = spdlog::level::debug;
         }
       }},
      {"help", "", "false", "Print this help and exit.",
       [](OperatorFlags& f, const std::string& v) { f.help = parseBool(v); }},
  };
  return specs;
}

const FlagSpec* findSpec(const std::string& name) {
  for (const FlagSpec& spec : flagSpecs()) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

}  // namespace

OperatorFlags parseFlags(const std::vector<std::string>& args) {
  OperatorFlags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') {
      throw FlagError("unexpected argument \"" + arg + "\": landlord-operator takes only flags");
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> value;
    if (const std::size_t eq = body.find('='); eq != std::string::npos) {
      value = body.substr(eq + 1);
      body = body.substr(0, eq);
    }
    if (body == "h") {
      body = "help";
    }
    const FlagSpec* spec = findSpec(body);
    if (spec == nullptr) {
      throw FlagError("unknown flag --" + body);
    }
    if (!value) {
      if (spec->valueName.empty()) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        throw FlagError("flag --" + body + " needs a value (" + spec->valueName + ")");
      }
    }
    try {
      spec->set(flags, *value);
    } catch (const std::exception& e) {
      throw FlagError("invalid value \"" + *value + "\" for flag --" + body + ": " + e.what());
    }
  }
  if (flags.leaderElectRenewDeadline >= flags.leaderElectLeaseDuration) {
    throw FlagError(
        "flag --leader-elect-renew-deadline must be less than "
        "--leader-elect-lease-duration");
  }
  if (flags.leaderElectRetryPeriod >= flags.leaderElectRenewDeadline) {
    throw FlagError(
        "flag --leader-elect-retry-period must be less than "
        "--leader-elect-renew-deadline");
  }
  return flags;
}

std::string flagUsage(const std::string& program) {
  std::string out = "Usage: " + program +
                    " [flags]\n\n"
                    "landlord operator: leases whole GPU pools to single tenants and places "
                    "work where it runs well.\n\nFlags:\n";
  for (const FlagSpec& spec : flagSpecs()) {
    std::string left = "  --" + spec.name + (spec.valueName.empty() ? "" : " " + spec.valueName);
    if (left.size() < 40) {
      left.resize(40, ' ');
    } else {
      left += ' ';
    }
    out += left + spec.help;
    if (!spec.defaultText.empty() && spec.defaultText != "false") {
      out += " (default \"" + spec.defaultText + "\")";
    }
    out += "\n";
  }
  return out;
}

}  // namespace landlord::kube
