#include "landlord/operator/client/kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "landlord/operator/base/base64.h"
#include "landlord/operator/base/errors.h"

namespace landlord::kube {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kVersion = "0.1.0";

std::string readFile(const fs::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError("cannot read " + std::string(what) + " " + path.string());
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string decodeBase64(std::string_view text, std::string_view what) {
  std::optional<std::string> decoded = base64Decode(text);
  if (!decoded) {
    throw ConfigError(std::string(what) + " is not valid base64");
  }
  return std::move(*decoded);
}

std::string scalar(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

// One named entry of clusters/users/contexts with the directory of the file
// that defined it (relative paths resolve against it).
struct Entry {
  YAML::Node body;
  fs::path dir;
};

struct MergedConfig {
  std::map<std::string, Entry> clusters;
  std::map<std::string, Entry> users;
  std::map<std::string, Entry> contexts;
  std::string currentContext;
  std::vector<std::string> files;
};

void mergeSection(const YAML::Node& root, const char* section, const char* bodyKey,
                  const fs::path& dir, std::map<std::string, Entry>& into,
                  const std::string& file) {
  const YAML::Node list = root[section];
  if (!list) {
    return;
  }
  if (!list.IsSequence()) {
    throw ConfigError(file + ": '" + section + "' must be a list");
  }
  for (const YAML::Node& item : list) {
    std::string name = scalar(item, "name");
    if (name.empty()) {
      throw ConfigError(file + ": an entry of '" + section + "' has no name");
    }
    // kubectl: the first file to define a name wins.
    into.try_emplace(name,
                     Entry{item[bodyKey] ? item[bodyKey] : YAML::Node(YAML::NodeType::Map), dir});
  }
}

void mergeDocument(std::string_view yaml, const fs::path& dir, const std::string& file,
                   MergedConfig& merged) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& error) {
    throw ConfigError(file + ": not valid YAML: " + error.what());
  }
  if (root.IsNull()) {
    return;
  }
  if (!root.IsMap()) {
    throw ConfigError(file + ": not a kubeconfig (expected a mapping)");
  }
  mergeSection(root, "clusters", "cluster", dir, merged.clusters, file);
  mergeSection(root, "users", "user", dir, merged.users, file);
  mergeSection(root, "contexts", "context", dir, merged.contexts, file);
  if (merged.currentContext.empty()) {
    merged.currentContext = scalar(root, "current-context");
  }
  merged.files.push_back(file);
}

fs::path resolve(const fs::path& dir, const std::string& path) {
  fs::path p(path);
  return p.is_absolute() || dir.empty() ? p : dir / p;
}

// PEM from "<key>-data" (base64) or "<key>" (a file).
void pemFrom(const Entry& entry, const std::string& key, std::string& pem, std::string& file,
             const std::string& where) {
  std::string data = scalar(entry.body, (key + "-data").c_str());
  if (!data.empty()) {
    pem = decodeBase64(data, where + " " + key + "-data");
    file = where + " " + key + "-data";
    return;
  }
  std::string path = scalar(entry.body, key.c_str());
  if (!path.empty()) {
    fs::path resolved = resolve(entry.dir, path);
    pem = readFile(resolved, where + " " + key);
    file = resolved.string();
  }
}

RestConfig build(const MergedConfig& merged, std::string_view contextOverride) {
  std::string source;
  for (const std::string& f : merged.files) {
    source += (source.empty() ? "" : ":") + f;
  }
  std::string contextName =
      contextOverride.empty() ? merged.currentContext : std::string(contextOverride);
  if (contextName.empty()) {
    throw ConfigError(source + ": no current-context set and no --context given");
  }
  auto context = merged.contexts.find(contextName);
  if (context == merged.contexts.end()) {
    throw ConfigError(source + ": context '" + contextName + "' not found");
  }
  std::string clusterName = scalar(context->second.body, "cluster");
  std::string userName = scalar(context->second.body, "user");
  auto cluster = merged.clusters.find(clusterName);
  if (cluster == merged.clusters.end()) {
    throw ConfigError(source + ": context '" + contextName + "' refers to cluster '" + clusterName +
                      "', which is not defined");
  }

  RestConfig config;
  config.source = source;
  config.contextName = contextName;
  config.userAgent = defaultUserAgent();
  config.defaultNamespace = scalar(context->second.body, "namespace");
  if (config.defaultNamespace.empty()) {
    config.defaultNamespace = "default";
  }
  config.server = scalar(cluster->second.body, "server");
  if (config.server.empty()) {
    throw ConfigError(source + ": cluster '" + clusterName + "' has no server");
  }
  while (!config.server.empty() && config.server.back() == '/') {
    config.server.pop_back();
  }
  const std::string clusterWhere = "cluster '" + clusterName + "'";
  pemFrom(cluster->second, "certificate-authority", config.caPem, config.caFile, clusterWhere);
  config.insecureSkipTlsVerify = scalar(cluster->second.body, "insecure-skip-tls-verify") == "true";
  config.tlsServerName = scalar(cluster->second.body, "tls-server-name");

  if (!userName.empty()) {
    auto user = merged.users.find(userName);
    if (user == merged.users.end()) {
      throw ConfigError(source + ": context '" + contextName + "' refers to user '" + userName +
                        "', which is not defined");
    }
    const std::string userWhere = "user '" + userName + "'";
    pemFrom(user->second, "client-certificate", config.clientCertPem, config.clientCertFile,
            userWhere);
    std::string keyFile;
    pemFrom(user->second, "client-key", config.clientKeyPem, keyFile, userWhere);
    if (config.clientCertPem.empty() != config.clientKeyPem.empty()) {
      throw ConfigError(source + ": " + userWhere +
                        " needs both client-certificate and client-key");
    }
    config.token = scalar(user->second.body, "token");
    std::string tokenFile = scalar(user->second.body, "tokenFile");
    if (!tokenFile.empty()) {
      config.tokenFile = resolve(user->second.dir, tokenFile).string();
    }
    config.username = scalar(user->second.body, "username");
    config.password = scalar(user->second.body, "password");
    if (user->second.body["exec"] || user->second.body["auth-provider"]) {
      throw ConfigError(source + ": " + userWhere +
                        " uses exec or auth-provider credentials, which landlord does not run");
    }
  }
  return config;
}

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.pop_back();
  }
  return text;
}

std::vector<std::string> splitPathList(const std::string& list) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(list);
  while (std::getline(in, item, ':')) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

}  // namespace

std::string defaultUserAgent() {
  return "landlord/" + std::string(kVersion);
}

EnvLookup processEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

RestConfig parseKubeconfig(std::string_view yaml, std::string_view dir, std::string_view context) {
  MergedConfig merged;
  mergeDocument(yaml, fs::path(dir), "<kubeconfig>", merged);
  return build(merged, context);
}

RestConfig loadKubeconfig(const KubeconfigOptions& options) {
  std::vector<std::string> files;
  bool mustExist = true;
  if (!options.explicitPath.empty()) {
    files.push_back(options.explicitPath);
  } else if (auto env = options.env("KUBECONFIG"); env && !env->empty()) {
    files = splitPathList(*env);
    mustExist = false;  // kubectl skips missing entries of $KUBECONFIG
  } else if (auto home = options.env("HOME"); home) {
    files.push_back((fs::path(*home) / ".kube" / "config").string());
  } else {
    throw ConfigError("no kubeconfig: neither --kubeconfig, $KUBECONFIG nor $HOME is set");
  }
  MergedConfig merged;
  for (const std::string& file : files) {
    fs::path path(file);
    std::error_code ignored;
    if (!mustExist && !fs::exists(path, ignored)) {
      continue;
    }
    mergeDocument(readFile(path, "kubeconfig"), fs::absolute(path).parent_path(), file, merged);
  }
  if (merged.files.empty()) {
    throw ConfigError("no kubeconfig file found among " + std::to_string(files.size()) +
                      " listed in $KUBECONFIG");
  }
  return build(merged, options.context);
}

RestConfig inClusterConfig(const InClusterOptions& options) {
  auto host = options.env("KUBERNETES_SERVICE_HOST");
  auto port = options.env("KUBERNETES_SERVICE_PORT");
  if (!host || host->empty() || !port || port->empty()) {
    throw ConfigError(
        "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be "
        "set");
  }
  fs::path dir(options.serviceAccountDir);
  RestConfig config;
  // IPv6 service addresses need brackets.
  std::string hostPart = host->find(':') != std::string::npos ? "[" + *host + "]" : *host;
  config.server = "https://" + hostPart + ":" + *port;
  config.caFile = (dir / "ca.crt").string();
  config.caPem = readFile(dir / "ca.crt", "service-account CA");
  config.tokenFile = (dir / "token").string();
  config.token = trimmed(readFile(dir / "token", "service-account token"));
  std::error_code ignored;
  if (fs::exists(dir / "namespace", ignored)) {
    config.defaultNamespace = trimmed(readFile(dir / "namespace", "service-account namespace"));
  }
  if (config.defaultNamespace.empty()) {
    config.defaultNamespace = "default";
  }
  config.userAgent = defaultUserAgent();
  config.contextName = "in-cluster";
  config.source = "in-cluster (" + dir.string() + ")";
  return config;
}

RestConfig loadConfig(const KubeconfigOptions& kubeconfig, const InClusterOptions& inCluster) {
  if (!kubeconfig.explicitPath.empty()) {
    return loadKubeconfig(kubeconfig);
  }
  if (auto env = kubeconfig.env("KUBECONFIG"); env && !env->empty()) {
    return loadKubeconfig(kubeconfig);
  }
  if (inCluster.env("KUBERNETES_SERVICE_HOST")) {
    return inClusterConfig(inCluster);
  }
  return loadKubeconfig(kubeconfig);
}

}  // namespace landlord::kube
