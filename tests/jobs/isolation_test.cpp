// Which isolation the runner picks, from a cgroup file system's root (fake ones here, so that
// cgroup v2 is checked on a machine that offers v1), what a v2 sandbox writes, and jobs under
// the rlimits fallback.
#include "jobs/isolation.h"

#include <filesystem>
#include <fstream>

#include "../support/checks.h"
#include "jobs_test_support.h"

namespace playsight::testing {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(Isolation, DetectsV2V1OrNone) {
  TempDir temp;
  const fs::path v2 = temp.file("v2");
  fs::create_directories(v2);
  std::ofstream(v2 / "cgroup.controllers") << "cpuset cpu io memory pids\n";
  std::ofstream(v2 / "cgroup.subtree_control") << "cpu memory pids\n";
  EXPECT_EQ(jobs::detect_isolation(v2.string()), jobs::IsolationKind::cgroup_v2);

  // A v2 mount whose root enables no controllers (like /sys/fs/cgroup/unified here) is not enough.
  const fs::path bare = temp.file("bare");
  fs::create_directories(bare);
  std::ofstream(bare / "cgroup.controllers") << "\n";
  std::ofstream(bare / "cgroup.subtree_control") << "\n";
  EXPECT_EQ(jobs::detect_isolation(bare.string()), jobs::IsolationKind::rlimits);

  const fs::path v1 = temp.file("v1");
  for (const char* controller : {"memory", "pids", "cpu"}) fs::create_directories(v1 / controller);
  std::ofstream(v1 / "memory" / "memory.limit_in_bytes") << "9223372036854771712\n";
  EXPECT_EQ(jobs::detect_isolation(v1.string()), jobs::IsolationKind::cgroup_v1);
  EXPECT_EQ(jobs::detect_isolation(temp.file("nothing")), jobs::IsolationKind::rlimits);
}

TEST(Isolation, V2SandboxWritesTheLimitsAndReadsTheEvents) {
  TempDir temp;
  jobs::JobLimits limits;
  limits.memory_bytes = 512ull << 20;
  limits.cpu_share = 0.5;
  limits.processes = 16;
  const fs::path group = fs::path(temp.path()) / "playsight" / "job-1";
  fs::create_directories(group);
  std::ofstream(group / "memory.swap.max") << "max\n";
  {
    jobs::JobSandbox sandbox(jobs::IsolationKind::cgroup_v2, "job-1", limits, temp.path());
    EXPECT_EQ(read(group / "memory.max"), "536870912");
    EXPECT_EQ(read(group / "memory.swap.max"), "0");
    EXPECT_EQ(read(group / "pids.max"), "16");
    EXPECT_EQ(read(group / "cpu.max"), "50000 100000");
    EXPECT_FALSE(sandbox.memory_limit_hit());
    std::ofstream(group / "memory.events") << "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n";
    std::ofstream(group / "pids.events") << "max 3\n";
    EXPECT_TRUE(sandbox.memory_limit_hit());
    EXPECT_TRUE(sandbox.process_limit_hit());
  }
}

TEST(Isolation, V1SandboxWritesTheLimitsAndReadsTheEvents) {
  TempDir temp;
  jobs::JobLimits limits;
  limits.memory_bytes = 256ull << 20;
  limits.cpu_share = 1.5;
  limits.processes = 8;
  const fs::path root = temp.path();
  fs::create_directories(root / "memory" / "playsight" / "job-2");
  std::ofstream(root / "memory" / "playsight" / "job-2" / "memory.memsw.limit_in_bytes") << "max";
  jobs::JobSandbox sandbox(jobs::IsolationKind::cgroup_v1, "job-2", limits, temp.path());
  const fs::path memory = root / "memory" / "playsight" / "job-2";
  EXPECT_EQ(read(memory / "memory.limit_in_bytes"), "268435456");
  EXPECT_EQ(read(memory / "memory.memsw.limit_in_bytes"), "268435456");
  EXPECT_EQ(read(root / "pids" / "playsight" / "job-2" / "pids.max"), "8");
  EXPECT_EQ(read(root / "cpu" / "playsight" / "job-2" / "cpu.cfs_quota_us"), "150000");
  EXPECT_EQ(read(root / "cpu" / "playsight" / "job-2" / "cpu.cfs_period_us"), "100000");
  std::ofstream(memory / "memory.oom_control") << "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n";
  EXPECT_FALSE(sandbox.memory_limit_hit());
  std::ofstream(memory / "memory.oom_control") << "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n";
  EXPECT_TRUE(sandbox.memory_limit_hit());
}

TEST_F(RunnerTest, RlimitsFallbackStillStopsHogsAndLoops) {
  if (kAddressSanitizer)
    GTEST_SKIP() << "an instrumented child cannot start under RLIMIT_AS (AddressSanitizer's shadow "
                    "memory needs terabytes of address space); the release build runs this test";
  jobs::RunnerOptions runner_options = options();
  runner_options.isolation = jobs::IsolationKind::rlimits;
  jobs::JobRunner& runner = start(runner_options);
  jobs::JobLimits limits = small_limits();
  limits.memory_bytes = 64ull << 20;
  limits.wall_ms = 1000;
  const auto hog = wait_finished(runner, runner.submit(helper_job("ann", {"hog"}, limits)).id);
  const auto loop = wait_finished(runner, runner.submit(helper_job("ann", {"loop"}, limits)).id);
  EXPECT_EQ(hog.isolation, "rlimits");
  // Under RLIMIT_AS allocations fail: the hog can only spin until its wall time (or crash).
  EXPECT_TRUE(hog.state == jobs::JobState::killed || hog.state == jobs::JobState::failed)
      << hog.reason;
  EXPECT_EQ(loop.state, jobs::JobState::killed);
  EXPECT_EQ(loop.reason, "wall time limit 1 s exceeded");
}

}  // namespace
}  // namespace playsight::testing
