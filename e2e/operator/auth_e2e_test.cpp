// Authentication and TLS against the real API server: client certificates,
// service-account tokens (in-cluster style, with rotation), and a wrong CA.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "e2e_support.h"
#include "landlord/operator/client/rest_client.h"

namespace landlord::kube::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

const GroupVersionResource kSelfSubjectReviews{"authentication.k8s.io", "v1", "selfsubjectreviews",
                                               false, "SelfSubjectReview"};

std::string whoAmI(Client& client) {
  json review = client.create(kSelfSubjectReviews, "",
                              {{"apiVersion", "authentication.k8s.io/v1"},
                               {"kind", "SelfSubjectReview"},
                               {"metadata", json::object()}});
  return review["status"]["userInfo"]["username"];
}

void writeFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path.string() + ".tmp");
  out << text;
  out.close();
  fs::rename(path.string() + ".tmp", path);  // atomic, as the kubelet does
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "landlord-auth-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(OperatorE2EAuth, ClientCertificateIdentifiesTheAdmin) {
  auto client = adminClient();
  EXPECT_EQ(whoAmI(*client), "landlord-admin");
}

TEST(OperatorE2EAuth, ServiceAccountTokenInClusterStyleWithRotation) {
  auto admin = adminClient();
  TestNamespace ns(*admin, "sa");
  admin->create(
      resources::serviceAccounts(), ns.name(),
      {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", "landlord"}}}});
  GroupVersionResource roles{"rbac.authorization.k8s.io", "v1", "roles", true, "Role"};
  GroupVersionResource bindings{"rbac.authorization.k8s.io", "v1", "rolebindings", true,
                                "RoleBinding"};
  admin->create(
      roles, ns.name(),
      {{"apiVersion", "rbac.authorization.k8s.io/v1"},
       {"kind", "Role"},
       {"metadata", {{"name", "read"}}},
       {"rules",
        json::array(
            {{{"apiGroups", {""}}, {"resources", {"configmaps"}}, {"verbs", {"get", "list"}}}})}});
  admin->create(
      bindings, ns.name(),
      {{"apiVersion", "rbac.authorization.k8s.io/v1"},
       {"kind", "RoleBinding"},
       {"metadata", {{"name", "read"}}},
       {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Role"}, {"name", "read"}}},
       {"subjects",
        json::array(
            {{{"kind", "ServiceAccount"}, {"name", "landlord"}, {"namespace", ns.name()}}})}});

  auto requestToken = [&] {
    CreateOptions token;
    token.subresource = "token";
    json response =
        admin->create(resources::serviceAccounts(), ns.name(),
                      {{"apiVersion", "authentication.k8s.io/v1"},
                       {"kind", "TokenRequest"},
                       {"metadata", {{"name", "landlord"}}},
                       {"spec",
                        {{"audiences", {"https://kubernetes.default.svc.cluster.local"}},
                         {"expirationSeconds", 600}}}},
                      token);
    return response["status"]["token"].get<std::string>();
  };

  // A service-account directory as the kubelet projects it.
  ScratchDir dir;
  fs::copy_file(clusterEnv("CA_CERT"), dir.path() / "ca.crt");
  writeFile(dir.path() / "token", requestToken());
  writeFile(dir.path() / "namespace", ns.name());
  InClusterOptions options;
  options.serviceAccountDir = dir.path().string();
  std::string host = clusterEnv("APISERVER_HOST");
  std::string port = clusterEnv("APISERVER_PORT");
  options.env = [host, port](std::string_view name) -> std::optional<std::string> {
    if (name == "KUBERNETES_SERVICE_HOST")
      return host;
    if (name == "KUBERNETES_SERVICE_PORT")
      return port;
    return std::nullopt;
  };
  RestConfig config = inClusterConfig(options);
  EXPECT_EQ(config.defaultNamespace, ns.name());
  auto client = makeClient(config);
  EXPECT_EQ(whoAmI(*client), "system:serviceaccount:" + ns.name() + ":landlord");
  EXPECT_NO_THROW(client->list(resources::configMaps(), ns.name()));
  try {
    client->list(resources::nodes(), "");
    FAIL() << "service account listed nodes";
  } catch (const ForbiddenError& error) {
    EXPECT_NE(std::string(error.what()).find("system:serviceaccount:" + ns.name() + ":landlord"),
              std::string::npos);
  }

  // Rotation: the same client follows the file.
  writeFile(dir.path() / "token", "not-a-valid-token");
  EXPECT_THROW(client->list(resources::configMaps(), ns.name()), UnauthorizedError);
  writeFile(dir.path() / "token", requestToken());
  EXPECT_NO_THROW(client->list(resources::configMaps(), ns.name()));
}

TEST(OperatorE2EAuth, WrongCaIsRefusedWithOneClearError) {
  ScratchDir dir;
  run("openssl req -x509 -new -newkey rsa:2048 -nodes -days 1 -subj /CN=not-the-cluster-ca -keyout "
      "'" +
      (dir.path() / "ca.key").string() + "' -out '" + (dir.path() / "ca.crt").string() +
      "' 2>/dev/null");
  RestConfig config = adminConfig();
  std::ifstream in(dir.path() / "ca.crt");
  config.caPem.assign(std::istreambuf_iterator<char>(in), {});
  config.caFile = (dir.path() / "ca.crt").string();
  auto client = makeClient(config);
  try {
    client->get(resources::namespaces(), "", "default");
    FAIL() << "a server signed by another CA was trusted";
  } catch (const TlsError& error) {
    std::string what = error.what();
    std::printf("wrong CA error: %s\n", what.c_str());
    EXPECT_NE(what.find(config.server), std::string::npos) << what;
    EXPECT_NE(what.find("unable to get local issuer certificate"), std::string::npos) << what;
    EXPECT_NE(what.find(config.caFile), std::string::npos) << what;
  }

  // insecure-skip-tls-verify is honoured only when the config asks for it.
  config.insecureSkipTlsVerify = true;
  EXPECT_NO_THROW(makeClient(config)->get(resources::namespaces(), "", "default"));
}

TEST(OperatorE2EAuth, UnknownClientCertificateIsUnauthorized) {
  ScratchDir dir;
  std::string key = (dir.path() / "c.key").string();
  std::string crt = (dir.path() / "c.crt").string();
  run("openssl req -x509 -new -newkey rsa:2048 -nodes -days 1 -subj /CN=stranger -keyout '" + key +
      "' -out '" + crt + "' 2>/dev/null");
  RestConfig config = adminConfig();
  std::ifstream k(key), c(crt);
  config.clientKeyPem.assign(std::istreambuf_iterator<char>(k), {});
  config.clientCertPem.assign(std::istreambuf_iterator<char>(c), {});
  // The API server does not verify client certs in the handshake it cannot
  // chain; it treats the request as anonymous, which RBAC refuses.
  EXPECT_THROW(whoAmI(*makeClient(config)), ApiError);
}

}  // namespace
}  // namespace landlord::kube::e2e
