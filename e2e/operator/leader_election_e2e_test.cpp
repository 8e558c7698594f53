// Two (then three) candidate processes campaign for one Lease on the real
// API server: kill -9 the leader and another leads within leaseDuration +
// retryPeriod, never two at once; a clean shutdown hands over at once.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e_support.h"

extern char** environ;

namespace landlord::kube::e2e {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// A landlord-lease-candidate process writing its transitions to a file.
class Candidate {
 public:
  Candidate(const std::string& ns, const std::string& identity, const fs::path& dir)
      : identity_(identity), log_(dir / (identity + ".log")) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::string errors = (dir / (identity + ".err")).string();
    posix_spawn_file_actions_addopen(&actions, 2, errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<std::string> args = {LANDLORD_LEASE_CANDIDATE, kubeconfigPath(), ns, "e2e-lease",
                                     identity};
    std::vector<char*> argv;
    for (std::string& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start " + args[0]);
    }
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Candidate() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  void signal(int sig) { kill(pid_, sig); }
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  // (steady ns, "START"/"STOP"/"EXIT") lines so far.
  std::vector<std::pair<int64_t, std::string>> transitions() const {
    std::vector<std::pair<int64_t, std::string>> out;
    std::ifstream in(log_);
    std::string line;
    while (std::getline(in, line)) {
      // Log lines (spdlog also writes to stdout) start with '['; skip them.
      std::istringstream fields(line);
      int64_t at = 0;
      std::string what;
      if (fields >> at >> what)
        out.emplace_back(at, what);
    }
    return out;
  }
  std::optional<int64_t> firstStart() const {
    for (const auto& [at, what] : transitions()) {
      if (what == "START")
        return at;
    }
    return std::nullopt;
  }
  const std::string& identity() const { return identity_; }

 private:
  std::string identity_;
  fs::path log_;
  pid_t pid_ = -1;
};

int64_t steadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

TEST(OperatorE2ELeaderElection, KilledLeaderIsReplacedInTimeAndNeverTwoLead) {
  auto client = adminClient();
  TestNamespace ns(*client, "election");
  fs::path dir = fs::temp_directory_path() / ("landlord-election-" + ns.name());
  fs::create_directories(dir);
  auto a = std::make_unique<Candidate>(ns.name(), "candidate-a", dir);
  auto b = std::make_unique<Candidate>(ns.name(), "candidate-b", dir);

  std::string holder;
  ASSERT_TRUE(eventually(
      [&] {
        try {
          auto lease = client->get(resources::leases(), ns.name(), "e2e-lease");
          holder = lease["spec"].value("holderIdentity", "");
        } catch (const NotFoundError&) {
        }
        return !holder.empty();
      },
      30s));
  Candidate& leader = holder == a->identity() ? *a : *b;
  Candidate& follower = holder == a->identity() ? *b : *a;
  ASSERT_TRUE(eventually([&] { return leader.firstStart().has_value(); }, 10s));
  std::this_thread::sleep_for(3s);  // a few renewals
  EXPECT_FALSE(follower.firstStart().has_value()) << "both lead";

  int64_t killedAt = steadyNanos();
  leader.signal(SIGKILL);
  leader.wait();
  ASSERT_TRUE(eventually([&] { return follower.firstStart().has_value(); }, 25s))
      << "no takeover after kill -9 of " << leader.identity();
  double takeoverSeconds = static_cast<double>(*follower.firstStart() - killedAt) / 1e9;
  std::printf("takeover after kill -9: %.2f s (limit 15 s lease + 2 s retry)\n", takeoverSeconds);
  EXPECT_GT(takeoverSeconds, 0.0) << "the follower led while the leader was alive";
  EXPECT_LE(takeoverSeconds, 17.0);

  // Clean shutdown releases the lease: a third candidate leads at once.
  Candidate c(ns.name(), "candidate-c", dir);
  std::this_thread::sleep_for(3s);
  EXPECT_FALSE(c.firstStart().has_value()) << "two leaders";
  int64_t terminatedAt = steadyNanos();
  follower.signal(SIGTERM);
  EXPECT_EQ(follower.wait(), 0);
  auto followerTransitions = follower.transitions();
  ASSERT_GE(followerTransitions.size(), 2u);
  EXPECT_EQ(followerTransitions[1].second, "STOP");
  ASSERT_TRUE(eventually([&] { return c.firstStart().has_value(); }, 10s));
  double handover = static_cast<double>(*c.firstStart() - terminatedAt) / 1e9;
  std::printf("handover after SIGTERM (lease released): %.2f s\n", handover);
  EXPECT_GT(*c.firstStart(), followerTransitions[1].first) << "overlapping leadership";
  EXPECT_LT(handover, 4.0) << "successor waited for expiry instead of the release";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace landlord::kube::e2e
