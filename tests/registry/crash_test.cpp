// The registry under kill -9 and under concurrent writers, for both backends: child processes
// (fork) deploy in a loop while the parent kills them or waits for them, then the parent checks
// that the aliases and the audit log are whole and agree.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "registry_test_support.h"

namespace playsight::testing {
namespace {

using registry::AuditEntry;
using registry::ModelRegistry;

// Runs body in a child process; the child leaves with body's return value (or 100 if it threw).
pid_t spawn(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    int code = 100;
    try {
      code = body();
    } catch (...) {
    }
    ::_exit(code);
  }
  return pid;
}

int exit_code_of(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<AuditEntry> moves_of(ModelRegistry& registry, const std::string& alias) {
  std::vector<AuditEntry> out;
  for (const AuditEntry& entry : registry.history("spend"))
    if (entry.alias == alias) out.push_back(entry);
  return out;
}

// The alias points at a version that exists, the audit log's last move agrees with it, and each
// move starts where the one before ended (no lost or interleaved update).
void expect_consistent(ModelRegistry& registry, const std::string& alias) {
  std::optional<int> current;
  for (const auto& state : registry.aliases("spend"))
    if (state.alias == alias) current = state.version;
  ASSERT_TRUE(current) << "the alias is gone";
  EXPECT_NO_THROW(registry.version("spend", std::to_string(*current)));
  const auto moves = moves_of(registry, alias);
  ASSERT_FALSE(moves.empty());
  EXPECT_EQ(moves.back().to_version, current) << "the audit log disagrees with the alias";
  for (std::size_t i = 1; i < moves.size(); ++i)
    ASSERT_EQ(moves[i].from_version, moves[i - 1].to_version) << "audit row " << moves[i].id;
}

class RegistryCrashTest : public RegistryBackendTest {
 protected:
  void register_and_deploy(int count) {
    ModelRegistry registry = open();
    RegistryBackendTest::register_versions(registry, count);
    registry.deploy("spend", 1, "production", {"setup", ""});
  }
};

// Bytes a child writes to a pipe, one per deploy it saw committed; read by the parent.
class DeployPipe {
 public:
  DeployPipe() {
    if (::pipe(fds_) != 0) throw std::runtime_error("cannot create a pipe");
  }
  ~DeployPipe() {
    for (int fd : fds_)
      if (fd >= 0) ::close(fd);
  }
  DeployPipe(const DeployPipe&) = delete;
  DeployPipe& operator=(const DeployPipe&) = delete;

  int write_end() const { return fds_[1]; }
  // The parent's side, after the fork.
  void close_write_end() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }
  // Reads until `count` bytes in all have come; false when none comes for `deadline`, or at EOF.
  bool read_until(int count, std::chrono::milliseconds deadline) {
    while (read_ < count) {
      pollfd wait{fds_[0], POLLIN, 0};
      if (::poll(&wait, 1, static_cast<int>(deadline.count())) <= 0) return false;
      char buffer[256];
      const ssize_t got = ::read(fds_[0], buffer, sizeof buffer);
      if (got <= 0) return false;
      read_ += static_cast<int>(got);
    }
    return true;
  }
  // Reads what is left (after the writer is gone).
  void drain() { read_until(1 << 30, std::chrono::milliseconds(0)); }
  int bytes_read() const { return read_; }

 private:
  int fds_[2] = {-1, -1};
  int read_ = 0;
};

// In each of 20 rounds a child deploys without pause, each deploy moving the alias to the next
// version (so each one is an audit row) and writing a byte to a pipe once it returned; the parent
// waits (bounded by that event, not by the machine's speed) for kMinDeploys of the round plus a
// random number more, then a random fraction of a deploy, and kills the child, so the kill lands
// at random points of a deploy. On PostgreSQL the check waits for the killed child's session to
// end first: the server still runs what the child had sent (a pipelined COMMIT) and the check
// reads the alias and the log in two transactions.
TEST_P(RegistryCrashTest, KillNineMidDeployLeavesTheAliasAtAVersionTheLogAgreesWith) {
  constexpr int kRounds = 20, kMinDeploys = 2;
  constexpr auto kDeadline = std::chrono::seconds(60);
  register_and_deploy(3);
  std::mt19937 random(20261130);
  std::uniform_int_distribution<int> extra_deploys(0, 3);
  std::uniform_int_distribution<int> pause_us(0, 2000);
  int answered = 0;
  std::size_t moves = 1;
  for (int kill = 0; kill < kRounds; ++kill) {
    DeployPipe pipe;
    const pid_t child = spawn([this, &pipe]() -> int {
      ModelRegistry registry = open();
      int current = registry.version("spend", "production").version;
      for (;;) {
        current = current % 3 + 1;
        registry.deploy("spend", current, "production", {"child", ""});
        if (::write(pipe.write_end(), "d", 1) != 1) return 3;
      }
    });
    pipe.close_write_end();
    const int wanted = kMinDeploys + extra_deploys(random);
    const bool enough = pipe.read_until(wanted, kDeadline);
    std::this_thread::sleep_for(std::chrono::microseconds(pause_us(random)));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ::waitpid(child, &status, 0);
    pipe.drain();
    ASSERT_TRUE(enough) << "round " << kill << ": " << pipe.bytes_read() << " of " << wanted
                        << " deploys answered within 60 s";
    ASSERT_TRUE(WIFSIGNALED(status))
        << "the child ended before the kill, exit " << WEXITSTATUS(status);
    answered += pipe.bytes_read();
    if (GetParam() == Backend::postgres) {
      ASSERT_TRUE(wait_until_no_other_session(url_)) << "the killed child's session did not end";
    }
    ModelRegistry registry = open();
    expect_consistent(registry, "production");
    if (HasFatalFailure()) return;
    moves = moves_of(registry, "production").size();
    // Every answered deploy is in the log; at most one more per kill (committed, not answered).
    ASSERT_GE(moves, 1u + answered);
    ASSERT_LE(moves, 1u + answered + kill + 1);
  }
  std::printf("%d kills; %d deploys answered, %zu alias moves in the log\n", kRounds, answered,
              moves);
  EXPECT_GE(answered, kRounds * kMinDeploys);
}

TEST_P(RegistryCrashTest, TwoProcessesDeployingAtOnceLoseNoUpdate) {
  register_and_deploy(3);
  constexpr int kDeploysEach = 40;
  std::vector<pid_t> children;
  for (int j = 0; j < 2; ++j) {
    children.push_back(spawn([this, j] {
      ModelRegistry registry = open();
      int moved = 0;
      for (int k = 0; k < kDeploysEach; ++k) {
        const int version = j == 0 ? 1 + k % 3 : 3 - k % 3;
        moved += registry.deploy("spend", version, "production", {"child" + std::to_string(j), ""})
                     .changed();
      }
      return moved;
    }));
  }
  int moved = 0;
  for (pid_t child : children) {
    const int code = exit_code_of(child);
    ASSERT_GE(code, 0);
    ASSERT_LE(code, kDeploysEach) << "a child failed";
    moved += code;
  }
  ModelRegistry registry = open();
  expect_consistent(registry, "production");
  EXPECT_EQ(moves_of(registry, "production").size(), static_cast<std::size_t>(moved) + 1);
  EXPECT_GT(moved, kDeploysEach / 2);
}

TEST_P(RegistryCrashTest, TwoProcessesRegisteringAtOnceGetDistinctVersions) {
  const std::string folder = write_artifact("m", "trees");
  { open(); }  // the schema, created once before the children race
  constexpr int kEach = 10;
  std::vector<pid_t> children;
  for (int j = 0; j < 2; ++j) {
    children.push_back(spawn([this, folder, j] {
      ModelRegistry registry = open();
      for (int k = 0; k < kEach; ++k)
        registry.register_version({folder, "spend", "", {"child" + std::to_string(j), ""}});
      return 0;
    }));
  }
  for (pid_t child : children) ASSERT_EQ(exit_code_of(child), 0);
  ModelRegistry registry = open();
  const auto versions = registry.versions("spend");
  ASSERT_EQ(versions.size(), 2u * kEach);
  for (int i = 0; i < 2 * kEach; ++i) EXPECT_EQ(versions[i].version, i + 1);
  EXPECT_EQ(registry.history("spend").size(), 2u * kEach);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryCrashTest,
                         ::testing::Values(Backend::sqlite, Backend::postgres), backend_name);

}  // namespace
}  // namespace playsight::testing
