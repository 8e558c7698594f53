// `landlord handover`: creates the superseding PoolLease and follows both leases to the end.
#include <algorithm>
#include <array>
#include <optional>
#include <ostream>
#include <regex>

#include "cluster_options.h"
#include "command_list.h"
#include "duration.h"
#include "format.h"
#include "handover_progress.h"
#include "landlord/api/v1alpha1/client.h"
#include "landlord/api/v1alpha1/resources.h"
#include "landlord/operator/base/errors.h"
#include "landlord/operator/client/resource.h"
#include "landlord/placement/money.h"
#include "time_input.h"

namespace landlord::cli {

namespace {

using nlohmann::json;

// "colossus-1, colossus-2", or "none" — to say what the user could have meant.
template <class Object>
std::string existingNames(kube::Client& client) {
  std::string names;
  try {
    for (const Object& item : api::list<Object>(client)) {
      names += names.empty() ? "" : ", ";
      names += item.metadata.name;
    }
  } catch (const kube::KubeError&) {
    return "unknown";
  }
  return names.empty() ? "none" : names;
}

// The object, or none when it does not exist; other failures say what was being read.
template <class Object>
std::optional<Object> getOrNone(kube::Client& client, const std::string& name) {
  std::optional<Object> object;
  explainFailure("reading " + std::string(Object::kKind) + " " + name, [&] {
    try {
      object = api::get<Object>(client, "", name);
    } catch (const kube::NotFoundError& error) {
      if (error.status().name.empty()) {
        throw;  // not the object but the whole API is missing
      }
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
  std::optional<api::LeaseTerm> term;  // from --at, --until, --return-to
  bool wait = false;                   // follow a scheduled handover until it is done
  std::chrono::milliseconds timeout;
  std::chrono::milliseconds interval;
};

constexpr std::array<const char*, 3> kPurposes = {"inference", "training", "any"};

bool isDnsLabel(const std::string& text) {
  static const std::regex label("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  return text.size() <= 63 && std::regex_match(text, label);
}

// --return-to TENANT[:PURPOSE]; the purpose defaults to training, the owner's use.
api::TermReturn returnFrom(const std::string& text) {
  const std::size_t colon = text.find(':');
  api::TermReturn back{.tenant = text.substr(0, colon),
                       .purpose = colon == std::string::npos ? "training" : text.substr(colon + 1),
                       .ratePerGPUHour = ""};
  if (!isDnsLabel(back.tenant)) {
    throw UsageError("--return-to: \"" + back.tenant +
                     "\" is not a Tenant name (a DNS-1123 label: lowercase letters, digits and "
                     "'-', at most 63)");
  }
  if (std::find(kPurposes.begin(), kPurposes.end(), back.purpose) == kPurposes.end()) {
    throw UsageError("--return-to: purpose \"" + back.purpose +
                     "\" is not one of inference, training, any");
  }
  return back;
}

// spec.term from --at, --until and --return-to, checked against the wall clock;
// none when no flag asks for a term.
std::optional<api::LeaseTerm> termFrom(const Arguments& arguments, placement::TimePoint now) {
  const auto atText = arguments.optional("at");
  const auto untilText = arguments.optional("until");
  const auto returnText = arguments.optional("return-to");
  if (!atText && !untilText && !returnText) {
    return std::nullopt;
  }
  if (returnText && !untilText) {
    throw UsageError("--return-to: needs --until, the time the pool goes back");
  }
  api::LeaseTerm term;
  std::optional<placement::TimePoint> at;
  if (atText) {
    at = parseTimeOption(*atText, "at", now);
    if (*at < now) {
      throw UsageError("--at: " + formatTimePoint(*at) + " is in the past (now " +
                       formatTimePoint(now) + ")");
    }
    term.start = formatTimePoint(*at);
  }
  if (untilText) {
    const placement::TimePoint until = parseTimeOption(*untilText, "until", now);
    if (at && until <= *at) {
      throw UsageError("--until: " + formatTimePoint(until) + " is not after --at " +
                       formatTimePoint(*at));
    }
    if (!at && until <= now) {
      throw UsageError("--until: " + formatTimePoint(until) + " is not in the future (now " +
                       formatTimePoint(now) + ")");
    }
    term.end = formatTimePoint(until);
  }
  term.atEnd = returnText ? "Return" : "Release";
  if (returnText) {
    term.returnTo = returnFrom(*returnText);
  }
  return term;
}

HandoverRequest requestFrom(const Arguments& arguments, placement::TimePoint now) {
  HandoverRequest request{
      .pool = arguments.value("pool"),
      .tenant = arguments.value("to"),
      .name = arguments.optional("name").value_or(arguments.value("to") + "-" +
                                                  arguments.value("pool")),
      .purpose = arguments.value("purpose"),
      .rate = arguments.optional("rate"),
      .term = termFrom(arguments, now),
      .wait = arguments.has("wait"),
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

api::PoolLease leaseObject(const HandoverRequest& request, const std::string& supersedes) {
  api::PoolLease lease;
  lease.metadata.name = request.name;
  lease.spec.pool = request.pool;
  lease.spec.tenant = request.tenant;
  lease.spec.purpose = request.purpose;
  lease.spec.supersedes = supersedes;
  lease.spec.ratePerGPUHour = request.rate.value_or("");
  lease.spec.term = request.term;
  return lease;
}

bool isOurHandover(const api::PoolLease& lease, const HandoverRequest& request,
                   const std::string& from) {
  return lease.spec.pool == request.pool && lease.spec.tenant == request.tenant &&
         lease.spec.supersedes == from;
}

// Checks the request against the cluster and returns the lease it supersedes.
// Throws CommandError naming the flag at fault.
std::string supersededLease(kube::Client& client, const HandoverRequest& request) {
  if (!getOrNone<api::Tenant>(client, request.tenant)) {
    throw CommandError("--to " + request.tenant + ": no Tenant named " + request.tenant +
                       " (tenants: " + existingNames<api::Tenant>(client) + ")");
  }
  if (request.term && request.term->returnTo) {
    const std::string& back = request.term->returnTo->tenant;
    if (!getOrNone<api::Tenant>(client, back)) {
      throw CommandError("--return-to " + back + ": no Tenant named " + back +
                         " (tenants: " + existingNames<api::Tenant>(client) + ")");
    }
  }
  const std::optional<api::GpuPool> pool = getOrNone<api::GpuPool>(client, request.pool);
  if (!pool) {
    throw CommandError("--pool " + request.pool + ": no GPUPool named " + request.pool +
                       " (pools: " + existingNames<api::GpuPool>(client) + ")");
  }
  const std::optional<api::PoolClaim>& claim = pool->status.lease;
  const std::string holder = claim ? claim->name : "";
  if (holder.empty()) {
    const std::string& phase = pool->status.phase;
    throw CommandError("--pool " + request.pool + ": no lease holds pool " + request.pool +
                       " (phase " + (phase.empty() ? "unknown" : phase) +
                       "), so there is nothing to hand over; create a PoolLease for " +
                       request.tenant + " without spec.supersedes instead");
  }
  if (claim->tenant == request.tenant && holder != request.name) {
    throw CommandError("--to " + request.tenant + ": tenant " + request.tenant +
                       " already holds pool " + request.pool + " (lease " + holder + ")");
  }
  const std::string handingTo = pool->status.handover ? pool->status.handover->toLease : "";
  if (!handingTo.empty() && handingTo != request.name) {
    throw CommandError("--pool " + request.pool + ": pool " + request.pool +
                       " is already being handed over to lease " + handingTo +
                       "; wait for it to finish (kubectl get poollease " + handingTo + " -w)");
  }
  return holder;
}

// The superseding lease as created or found: the lease it supersedes ("" when it
// already holds the pool) and its term, which an earlier run may have set.
struct StartedHandover {
  std::string from;
  bool created = false;
  std::optional<api::LeaseTerm> term;
};

// Creates the superseding lease, or adopts it when an earlier run created it.
StartedHandover startHandover(kube::Client& client, const HandoverRequest& request) {
  const std::string from = supersededLease(client, request);
  if (from == request.name) {
    return {};
  }
  const std::optional<api::PoolLease> existing = getOrNone<api::PoolLease>(client, request.name);
  if (existing) {
    if (!isOurHandover(*existing, request, from)) {
      throw CommandError("--name " + request.name + ": PoolLease " + request.name +
                         " already exists (pool " + existing->spec.pool + ", tenant " +
                         existing->spec.tenant + ", supersedes " + existing->spec.supersedes +
                         "); choose another --name");
    }
    return {.from = from, .created = false, .term = existing->spec.term};
  }
  explainFailure("creating PoolLease " + request.name, [&] {
    client.create(
        api::poolLeases(), "", api::encode(leaseObject(request, from)),
        kube::CreateOptions{.fieldManager = "landlord-cli", .dryRun = false, .subresource = ""});
  });
  return {.from = from, .created = true, .term = request.term};
}

// ", until 2027-12-01T00:00:00Z, then returns it to owner for training", or "".
std::string termEnding(const std::optional<api::LeaseTerm>& term) {
  if (!term || term->end.empty()) {
    return "";
  }
  std::string text = ", until " + term->end;
  if (term->atEnd == "Return" && term->returnTo) {
    text += ", then returns it to " + term->returnTo->tenant + " for " +
            (term->returnTo->purpose.empty() ? "training" : term->returnTo->purpose);
  } else {
    text += ", then releases it";
  }
  return text;
}

// When the lease starts later than now, by its term; none when it starts at once.
std::optional<placement::TimePoint> scheduledStart(const std::optional<api::LeaseTerm>& term,
                                                   placement::TimePoint now) {
  const auto start = term ? parseApiTime(term->start) : std::nullopt;
  return start && *start > now ? start : std::nullopt;
}

// The string member `key` of an events.k8s.io Event (or its `regarding`), or "".
std::string eventText(const json& object, const char* key) {
  const auto member = object.is_object() ? object.find(key) : object.end();
  return member != object.end() && member->is_string() ? member->get<std::string>() : "";
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
      const std::string time = api::decodeMetadata(event).creationTimestamp;
      const json regarding = event.is_object() ? event.value("regarding", json()) : json();
      if (eventText(regarding, "kind") == api::PoolLease::kKind &&
          eventText(regarding, "name") == lease && eventText(event, "type") == "Warning" &&
          time >= newest) {
        newest = time;
        note = eventText(event, "note");
      }
    }
    return note;
  } catch (const kube::KubeError&) {
    return "";  // the conditions already said why; events only add detail
  }
}

std::string activeSummary(const api::PoolLease& lease) {
  std::string text = "Lease " + lease.metadata.name + " is Active: tenant " + lease.spec.tenant +
                     " holds pool " + lease.spec.pool + " (" +
                     grouped(lease.status.nodes.value_or(0)) + " nodes, " +
                     grouped(lease.status.gpus.value_or(0)) + " GPUs)";
  try {
    const placement::Money rate = placement::Money::parse(lease.status.ratePerGPUHour);
    const placement::Money hourly = placement::Money::parse(lease.status.hourlyRate);
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
      const json incoming = client.get(api::poolLeases(), "", request.name);
      json outgoing;
      try {
        outgoing = client.get(api::poolLeases(), "", from);
      } catch (const kube::NotFoundError&) {
        outgoing = nullptr;
      }
      lastError.clear();
      view = viewHandover(outgoing, incoming);
      show(progressLine(view));
      if (view.state == HandoverState::Active) {
        endLine();
        io.out << activeSummary(api::decode<api::PoolLease>(incoming)) << "; the handover took "
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
  const auto now = std::chrono::floor<std::chrono::seconds>(access.wallClock());
  HandoverRequest request = requestFrom(arguments, now);
  const ClusterConnection cluster = connect(arguments, access);
  const StartedHandover started = startHandover(*cluster.client, request);
  const std::string& from = started.from;
  if (from.empty()) {
    api::PoolLease lease;
    explainFailure("reading PoolLease " + request.name,
                   [&] { lease = api::get<api::PoolLease>(*cluster.client, "", request.name); });
    io.out << "Nothing to do: lease " << request.name << " already holds pool " << request.pool
           << " (" << lease.status.phase << ")\n";
    return 0;
  }
  const std::optional<placement::TimePoint> startsAt = scheduledStart(started.term, now);
  if (started.created) {
    io.out << (startsAt ? "Scheduled" : "Created") << " PoolLease " << request.name << ": tenant "
           << request.tenant << " takes pool " << request.pool;
    if (startsAt) {
      io.out << " at " << formatTimePoint(*startsAt);
    }
    io.out << " for " << request.purpose << ", superseding lease " << from
           << termEnding(started.term) << "\n";
  } else {
    io.out << "PoolLease " << request.name << " already exists for this handover: "
           << (startsAt ? "it is Scheduled to take pool " + request.pool + " at " +
                              formatTimePoint(*startsAt)
                        : std::string("following it"))
           << "\n";
  }
  if (startsAt && !request.wait) {
    // The operator starts it by itself: nobody needs to stay up until then.
    io.out << "The operator starts the handover at " << formatTimePoint(*startsAt)
           << "; follow it with: kubectl get poollease " << request.name << " " << from
           << " -w (or landlord calendar)\n";
    return 0;
  }
  if (startsAt) {
    request.timeout += std::chrono::duration_cast<std::chrono::milliseconds>(*startsAt - now);
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
          "follow it to Active, or schedule it for a set time with a term (--at, --until)",
      .options = {option("pool", "POOL", "the GPUPool to hand over", true, std::nullopt),
                  option("to", "TENANT", "the Tenant that takes the pool", true, std::nullopt),
                  option("name", "NAME", "name of the new PoolLease (default TENANT-POOL)", false,
                         std::nullopt),
                  option("purpose", "PURPOSE", "what the tenant runs on it", false, "inference",
                         {"inference", "training", "any"}),
                  option("rate", "USD", "agreed price per GPU-hour (default: the list price)",
                         false, std::nullopt),
                  option("at", "TIME",
                         "start the handover at TIME (RFC 3339, a date, or +DURATION from now) "
                         "instead of at once; the command returns once it is Scheduled",
                         false, std::nullopt),
                  option("until", "TIME",
                         "end the lease at TIME (same forms); the pool is then released", false,
                         std::nullopt),
                  option("return-to", "TENANT[:PURPOSE]",
                         "at --until hand the pool back to TENANT for PURPOSE (default training)",
                         false, std::nullopt),
                  option("wait", "", "with --at: wait and follow the handover when it starts",
                         false, std::nullopt),
                  option("timeout", "DURATION",
                         "give up following after this long (after the start with --at --wait)",
                         false, "10m"),
                  option("watch-interval", "DURATION", "how often to read the leases", false, "1s"),
                  kubeconfigOption(), contextOption()},
      .run = [cluster](const Arguments& arguments, CommandIo& io) {
        return runHandover(arguments, cluster, io);
      }};
}

}  // namespace landlord::cli
