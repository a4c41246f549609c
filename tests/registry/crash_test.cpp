// The registry under kill -9 and under concurrent writers, for both backends: child processes
// (fork) deploy in a loop while the parent kills them or waits for them, then the parent checks
// that the aliases and the audit log are whole and agree.
#include <gtest/gtest.h>
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

TEST_P(RegistryCrashTest, KillNineMidDeployLeavesTheAliasAtAVersionTheLogAgreesWith) {
  register_and_deploy(3);
  std::mt19937 random(20261130);
  std::uniform_int_distribution<int> pause_ms(30, 150);
  std::size_t moves_so_far = 1;
  for (int kill = 0; kill < 20; ++kill) {
    const pid_t child = spawn([this]() -> int {
      ModelRegistry registry = open();
      for (int k = 0;; ++k) registry.deploy("spend", 1 + k % 3, "production", {"child", ""});
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status))
        << "the child ended before the kill, exit " << WEXITSTATUS(status);
    ModelRegistry registry = open();
    expect_consistent(registry, "production");
    if (HasFatalFailure()) return;
    moves_so_far = moves_of(registry, "production").size();
  }
  EXPECT_GT(moves_so_far, 40u) << "the children hardly deployed: the test tested little";
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
