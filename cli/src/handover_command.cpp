#include <ostream>

#include "cluster_options.h"
#include "command_list.h"
#include "duration.h"
#include "format.h"
#include "handover_progress.h"
#include "landlord/operator/base/errors.h"
#include "landlord/operator/client/resource.h"
#include "landlord/placement/money.h"
#include "landlord_objects.h"

namespace landlord::cli {

namespace {

using nlohmann::json;

std::string at(const json& object, const char* pointer) {
  return objects::text(object, pointer);
}

// "colossus-1, colossus-2", or "none" — to say what the user could have meant.
std::string existingNames(kube::Client& client, const kube::GroupVersionResource& resource) {
  std::string names;
  try {
    for (const json& item : kube::listAll(client, resource, "").items) {
      names += names.empty() ? "" : ", ";
      names += at(item, "/metadata/name");
    }
  } catch (const kube::KubeError&) {
    return "unknown";
  }
  return names.empty() ? "none" : names;
}

// The object, or null when it does not exist; other failures say what was being read.
json getOrNull(kube::Client& client, const kube::GroupVersionResource& resource,
               const std::string& name, std::string_view kind) {
  json object;
  explainFailure("reading " + std::string(kind) + " " + name, [&] {
    try {
      object = client.get(resource, "", name);
    } catch (const kube::NotFoundError& error) {
      if (error.status().name.empty()) {
        throw;  // not the object but the whole API is missing
      }
      object = nullptr;
    }
  });
  return object;
}

struct HandoverRequest {
  std::string pool;
  std::string tenant;
  std::string name;
  std::string purpose;
  std::optional<std::string> rate;
  std::chrono::milliseconds timeout;
  std::chrono::milliseconds interval;
};

HandoverRequest requestFrom(const Arguments& arguments) {
  HandoverRequest request{
      .pool = arguments.value("pool"),
      .tenant = arguments.value("to"),
      .name = arguments.optional("name").value_or(arguments.value("to") + "-" +
                                                  arguments.value("pool")),
      .purpose = arguments.value("purpose"),
      .rate = arguments.optional("rate"),
      .timeout = parseDuration(arguments.value("timeout"), "timeout"),
      .interval = parseDuration(arguments.value("watch-interval"), "watch-interval")};
  if (request.rate) {
    try {
      placement::Money::parse(*request.rate);
    } catch (const std::invalid_argument& error) {
      throw UsageError("--rate: \"" + *request.rate + "\" is not a USD amount per GPU-hour (" +
                       error.what() + ")");
    }
  }
  return request;
}

json leaseObject(const HandoverRequest& request, const std::string& supersedes) {
  json spec = {{"pool", request.pool},
               {"tenant", request.tenant},
               {"purpose", request.purpose},
               {"supersedes", supersedes}};
  if (request.rate) {
    spec["ratePerGPUHour"] = *request.rate;
  }
  return {{"apiVersion", objects::kApiVersion},
          {"kind", "PoolLease"},
          {"metadata", {{"name", request.name}}},
          {"spec", spec}};
}

bool isOurHandover(const json& lease, const HandoverRequest& request, const std::string& from) {
  return at(lease, "/spec/pool") == request.pool && at(lease, "/spec/tenant") == request.tenant &&
         at(lease, "/spec/supersedes") == from;
}

// Checks the request against the cluster and returns the lease it supersedes.
// Throws CommandError naming the flag at fault.
std::string supersededLease(kube::Client& client, const HandoverRequest& request) {
  if (getOrNull(client, objects::tenants(), request.tenant, "Tenant").is_null()) {
    throw CommandError("--to " + request.tenant + ": no Tenant named " + request.tenant +
                       " (tenants: " + existingNames(client, objects::tenants()) + ")");
  }
  const json pool = getOrNull(client, objects::gpuPools(), request.pool, "GPUPool");
  if (pool.is_null()) {
    throw CommandError("--pool " + request.pool + ": no GPUPool named " + request.pool +
                       " (pools: " + existingNames(client, objects::gpuPools()) + ")");
  }
  const std::string holder = at(pool, "/status/lease/name");
  if (holder.empty()) {
    const std::string phase = at(pool, "/status/phase");
    throw CommandError("--pool " + request.pool + ": no lease holds pool " + request.pool +
                       " (phase " + (phase.empty() ? "unknown" : phase) +
                       "), so there is nothing to hand over; create a PoolLease for " +
                       request.tenant + " without spec.supersedes instead");
  }
  if (at(pool, "/status/lease/tenant") == request.tenant && holder != request.name) {
    throw CommandError("--to " + request.tenant + ": tenant " + request.tenant +
                       " already holds pool " + request.pool + " (lease " + holder + ")");
  }
  const std::string handingTo = at(pool, "/status/handover/toLease");
  if (!handingTo.empty() && handingTo != request.name) {
    throw CommandError("--pool " + request.pool + ": pool " + request.pool +
                       " is already being handed over to lease " + handingTo +
                       "; wait for it to finish (kubectl get poollease " + handingTo + " -w)");
  }
  return holder;
}

// Creates the superseding lease, or adopts it when an earlier run created it.
// Returns the lease it supersedes, or "" when the lease already holds the pool.
std::string startHandover(kube::Client& client, const HandoverRequest& request, CommandIo& io) {
  const std::string from = supersededLease(client, request);
  if (from == request.name) {
    return "";
  }
  const json existing = getOrNull(client, objects::poolLeases(), request.name, "PoolLease");
  if (!existing.is_null()) {
    if (!isOurHandover(existing, request, from)) {
      throw CommandError("--name " + request.name + ": PoolLease " + request.name +
                         " already exists (pool " + at(existing, "/spec/pool") + ", tenant " +
                         at(existing, "/spec/tenant") + ", supersedes " +
                         at(existing, "/spec/supersedes") + "); choose another --name");
    }
    io.out << "PoolLease " << request.name << " already exists for this handover: following it\n";
    return from;
  }
  explainFailure("creating PoolLease " + request.name, [&] {
    client.create(
        objects::poolLeases(), "", leaseObject(request, from),
        kube::CreateOptions{.fieldManager = "landlord-cli", .dryRun = false, .subresource = ""});
  });
  io.out << "Created PoolLease " << request.name << ": tenant " << request.tenant << " takes pool "
         << request.pool << " for " << request.purpose << ", superseding lease " << from << "\n";
  return from;
}

// The newest Warning event the operator recorded about a lease, for the reason a
// condition has no room for (e.g. what to change to unblock a drain).
std::string latestWarning(kube::Client& client, const std::string& lease) {
  try {
    kube::ListOptions options;
    options.fieldSelector = "regarding.name=" + lease;
    std::string note;
    std::string newest;
    for (const json& event :
         kube::listAll(client, kube::resources::events(), "default", options).items) {
      const std::string time = at(event, "/metadata/creationTimestamp");
      if (at(event, "/regarding/kind") == "PoolLease" && at(event, "/regarding/name") == lease &&
          at(event, "/type") == "Warning" && time >= newest) {
        newest = time;
        note = at(event, "/note");
      }
    }
    return note;
  } catch (const kube::KubeError&) {
    return "";  // the conditions already said why; events only add detail
  }
}

std::string activeSummary(const json& lease) {
  std::string text = "Lease " + at(lease, "/metadata/name") + " is Active: tenant " +
                     at(lease, "/spec/tenant") + " holds pool " + at(lease, "/spec/pool") + " (" +
                     grouped(objects::count(lease, "/status/nodes")) + " nodes, " +
                     grouped(objects::count(lease, "/status/gpus")) + " GPUs)";
  try {
    const placement::Money rate = placement::Money::parse(at(lease, "/status/ratePerGPUHour"));
    const placement::Money hourly = placement::Money::parse(at(lease, "/status/hourlyRate"));
    text += " at " + rate.format(4) + " per GPU-hour: " + hourly.format() + " an hour, " +
            hourly.times(placement::kHoursPerYear).format(0) + " a year";
  } catch (const std::invalid_argument&) {
    // No revenue recorded yet: the summary stands without it.
  }
  return text;
}

// Polls both leases until the new one is Active, fails or the timeout passes.
int follow(kube::Client& client, const HandoverRequest& request, const std::string& from,
           const Pacer& pacer, CommandIo& io) {
  const auto start = pacer.now();
  const auto deadline = start + request.timeout;
  std::string lastLine;
  std::string lastError;
  HandoverView view;
  const auto show = [&](const std::string& line) {
    if (line == lastLine) {
      return;
    }
    lastLine = line;
    // A terminal gets one line redrawn in place; a log gets a line per change.
    io.out << (io.terminal ? "\r\033[K" : "") << line << (io.terminal ? "" : "\n") << std::flush;
  };
  const auto endLine = [&] {
    if (io.terminal && !lastLine.empty()) {
      io.out << "\n";
    }
  };
  while (true) {
    try {
      const json incoming = client.get(objects::poolLeases(), "", request.name);
      json outgoing;
      try {
        outgoing = client.get(objects::poolLeases(), "", from);
      } catch (const kube::NotFoundError&) {
        outgoing = nullptr;
      }
      lastError.clear();
      view = viewHandover(outgoing, incoming);
      show(progressLine(view));
      if (view.state == HandoverState::Active) {
        endLine();
        io.out << activeSummary(incoming) << "; the handover took "
               << formatDuration(
                      std::chrono::duration_cast<std::chrono::milliseconds>(pacer.now() - start))
               << "\n";
        return 0;
      }
      if (view.state == HandoverState::Failed) {
        endLine();
        const std::string warning = latestWarning(client, view.failedLease);
        io.err << "handover of pool " << request.pool << " failed: " << view.failure << "\n";
        if (!warning.empty()) {
          io.err << "  last warning event: " << warning << "\n";
        }
        io.err << "  details: kubectl describe poollease " << view.failedLease << "\n";
        return 1;
      }
    } catch (const kube::NotFoundError&) {
      endLine();
      io.err << "handover of pool " << request.pool << " failed: PoolLease " << request.name
             << " was deleted while it was being followed\n";
      return 1;
    } catch (const kube::KubeError& error) {
      if (!kube::isRetryable(error)) {
        endLine();
        io.err << "following PoolLease " << request.name << ": " << error.what() << "\n";
        return 1;
      }
      // The API server is briefly unreachable (restarting, throttling): keep following.
      if (error.what() != lastError) {
        lastError = error.what();
        endLine();
        lastLine.clear();
        io.err << "warning: " << lastError << " (retrying)\n";
      }
    }
    if (pacer.now() >= deadline) {
      endLine();
      io.err << "handover of pool " << request.pool << " timed out after "
             << formatDuration(request.timeout) << " at " << view.percent << "%: " << view.activity
             << "\n"
             << "  it goes on in the cluster: run this command again to keep following it, or "
                "kubectl get poollease "
             << request.name << " " << from << " -w\n";
      if (view.percent == 0) {
        io.err << "  nothing moved: is landlord-operator running? (kubectl describe poollease "
               << request.name << ")\n";
      }
      return 1;
    }
    pacer.sleep(request.interval);
  }
}

int runHandover(const Arguments& arguments, const ClusterAccess& access, CommandIo& io) {
  const HandoverRequest request = requestFrom(arguments);
  const ClusterConnection cluster = connect(arguments, access);
  const std::string from = startHandover(*cluster.client, request, io);
  if (from.empty()) {
    json lease;
    explainFailure("reading PoolLease " + request.name,
                   [&] { lease = cluster.client->get(objects::poolLeases(), "", request.name); });
    io.out << "Nothing to do: lease " << request.name << " already holds pool " << request.pool
           << " (" << at(lease, "/status/phase") << ")\n";
    return 0;
  }
  return follow(*cluster.client, request, from, access.pacer, io);
}

OptionSpec option(std::string name, std::string valueName, std::string help, bool required,
                  std::optional<std::string> defaultValue, std::vector<std::string> choices = {}) {
  return {.name = std::move(name),
          .shortName = '\0',
          .valueName = std::move(valueName),
          .help = std::move(help),
          .required = required,
          .defaultValue = std::move(defaultValue),
          .choices = std::move(choices)};
}

}  // namespace

Command handoverCommand(ClusterAccess cluster) {
  return {
      .name = "handover",
      .summary =
          "hand a leased pool whole to another tenant: create the superseding PoolLease and "
          "follow it to Active",
      .options = {option("pool", "POOL", "the GPUPool to hand over", true, std::nullopt),
                  option("to", "TENANT", "the Tenant that takes the pool", true, std::nullopt),
                  option("name", "NAME", "name of the new PoolLease (default TENANT-POOL)", false,
                         std::nullopt),
                  option("purpose", "PURPOSE", "what the tenant runs on it", false, "inference",
                         {"inference", "training", "any"}),
                  option("rate", "USD", "agreed price per GPU-hour (default: the list price)",
                         false, std::nullopt),
                  option("timeout", "DURATION", "give up following after this long", false, "10m"),
                  option("watch-interval", "DURATION", "how often to read the leases", false, "1s"),
                  kubeconfigOption(), contextOption()},
      .run = [cluster](const Arguments& arguments, CommandIo& io) {
        return runHandover(arguments, cluster, io);
      }};
}

}  // namespace landlord::cli
