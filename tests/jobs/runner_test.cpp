// The supervisor against hostile jobs, with the machine's real isolation (cgroup v1 here and on
// CI): a memory hog, an endless loop, a fork bomb; states and reasons; quotas and the queue;
// cancel; logs and artifacts; idle culling.
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "../support/checks.h"
#include "jobs_test_support.h"
#include "tasks/task.h"

namespace playsight::testing {
namespace {

using jobs::JobState;

TEST_F(RunnerTest, ReportsTheIsolationItUses) {
  jobs::JobRunner& runner = start();
  const jobs::JobRecord record =
      wait_finished(runner, runner.submit(helper_job("ann", {"exit", "0"})).id);
  EXPECT_EQ(record.state, JobState::succeeded);
  EXPECT_EQ(record.isolation, jobs::isolation_name(runner.isolation()));
  // This machine and CI offer cgroup v1 to root.
  if (::geteuid() == 0) {
    EXPECT_NE(runner.isolation(), jobs::IsolationKind::rlimits);
  }
}

TEST_F(RunnerTest, ExitCodesAndLogsAndArtifacts) {
  jobs::JobRunner& runner = start();
  const auto failed = wait_finished(runner, runner.submit(helper_job("ann", {"exit", "3"})).id);
  EXPECT_EQ(failed.state, JobState::failed);
  EXPECT_EQ(failed.reason, "exit code 3");
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_NE(runner.log(failed.id).find("exiting\n"), std::string::npos);
  const auto made =
      wait_finished(runner, runner.submit(helper_job("ann", {"artifact", "out.txt"})).id);
  EXPECT_EQ(made.state, JobState::succeeded);
  EXPECT_TRUE(std::filesystem::exists(made.artifacts_folder() + "/out.txt"));
}

TEST_F(RunnerTest, MemoryHogIsKilledWithTheReason) {
  jobs::JobRunner& runner = start();
  jobs::JobLimits limits = small_limits();
  limits.memory_bytes = 64ull << 20;
  const auto record = wait_finished(runner, runner.submit(helper_job("ann", {"hog"}, limits)).id);
  EXPECT_EQ(record.state, JobState::killed);
  if (runner.isolation() != jobs::IsolationKind::rlimits) {
    EXPECT_EQ(record.reason, "memory limit 64 MiB exceeded");
  }
}

TEST_F(RunnerTest, EndlessLoopIsStoppedAtTheWallTime) {
  jobs::JobRunner& runner = start();
  jobs::JobLimits limits = small_limits();
  limits.wall_ms = 1000;
  limits.cpu_share = 0.2;
  // The loop never ends by itself: killed, for its wall time, is the proof (no timed assertion:
  // under stress a loaded supervisor took 5.4 s to see and stop it).
  const auto record = wait_finished(runner, runner.submit(helper_job("ann", {"loop"}, limits)).id);
  EXPECT_EQ(record.state, JobState::killed);
  EXPECT_EQ(record.reason, "wall time limit 1 s exceeded");
}

TEST_F(RunnerTest, ForkBombIsContainedByTheProcessLimit) {
  jobs::JobRunner& runner = start();
  jobs::JobLimits limits = small_limits();
  limits.wall_ms = 2000;
  limits.processes = 16;
  limits.cpu_share = 0.5;
  const auto record =
      wait_finished(runner, runner.submit(helper_job("ann", {"forkbomb"}, limits)).id);
  EXPECT_EQ(record.state, JobState::killed);
  if (runner.isolation() != jobs::IsolationKind::rlimits) {
    EXPECT_EQ(record.reason,
              "wall time limit 2 s exceeded (forks were refused at the process limit of 16)");
    EXPECT_NE(runner.log(record.id).find("fork refused"), std::string::npos);
  }
  // Nothing of it is left, and the machine still forks.
  runner_.reset();
  EXPECT_FALSE(jobs::process_group_alive(record.pid));
  EXPECT_EQ(run_command("echo fine").output, "fine\n");
}

TEST_F(RunnerTest, QueuedJobsWaitForTheOwnersQuota) {
  jobs::RunnerOptions runner_options = options();
  runner_options.max_running_per_user = 1;
  jobs::JobRunner& runner = start(runner_options);
  // Ann's first job runs until it is cancelled: her slot frees on that event, not after a time
  // that a loaded machine may overrun (a 2 s job used to end before bob's was seen finished).
  const auto first = runner.submit(helper_job("ann", {"sleep", "60"}));
  const auto second = runner.submit(helper_job("ann", {"exit", "0"}));
  const auto other = runner.submit(helper_job("bob", {"exit", "0"}));
  EXPECT_EQ(wait_finished(runner, other.id).state, JobState::succeeded);  // bob's own quota
  EXPECT_EQ(runner.find(first.id)->state, JobState::running);
  EXPECT_EQ(runner.find(second.id)->state, JobState::queued);  // ann's first still runs
  EXPECT_TRUE(runner.cancel(first.id, "ann"));
  EXPECT_EQ(wait_finished(runner, second.id).state, JobState::succeeded);
  EXPECT_EQ(runner.find(first.id)->state, JobState::killed);
  EXPECT_LE(runner.find(first.id)->finished_at, runner.find(second.id)->started_at);
}

TEST_F(RunnerTest, CancelStopsARunningJobAndAQueuedOne) {
  jobs::RunnerOptions runner_options = options();
  runner_options.max_running_per_user = 1;
  jobs::JobRunner& runner = start(runner_options);
  const auto running = runner.submit(helper_job("ann", {"sleep", "60"}));
  const auto queued = runner.submit(helper_job("ann", {"sleep", "60"}));
  while (runner.find(running.id)->state == JobState::queued)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(runner.cancel(queued.id, "ann"));
  EXPECT_TRUE(runner.cancel(running.id, "admin"));
  const auto cancelled = wait_finished(runner, running.id, std::chrono::seconds(10));
  EXPECT_EQ(cancelled.state, JobState::killed);
  EXPECT_EQ(cancelled.reason, "cancelled by admin");
  EXPECT_EQ(wait_finished(runner, queued.id, std::chrono::seconds(10)).reason,
            "cancelled by ann before it started");
  EXPECT_FALSE(runner.cancel(running.id, "ann"));  // already finished
}

TEST_F(RunnerTest, IdleInteractiveJobIsCulledAndAWatchedOneIsNot) {
  jobs::JobRunner& runner = start();
  jobs::JobRequest idle = helper_job("ann", {"sleep", "60"});
  idle.interactive = true;
  idle.idle_ms = 2000;
  jobs::JobRequest watched = idle;
  const auto idle_job = runner.submit(idle);
  const auto watched_job = runner.submit(watched);
  const auto start_time = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start_time < std::chrono::milliseconds(3500)) {
    runner.touch(watched_job.id);  // its owner keeps looking at it
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  const auto culled = wait_finished(runner, idle_job.id, std::chrono::seconds(5));
  EXPECT_EQ(culled.state, JobState::killed);
  EXPECT_TRUE(culled.reason.starts_with("idle: nobody looked at it for 2")) << culled.reason;
  EXPECT_TRUE(culled.reason.ends_with("(limit 2 s)")) << culled.reason;
  EXPECT_EQ(runner.find(watched_job.id)->state, JobState::running);
  EXPECT_NE(runner.log(culled.id).find("killed: idle"), std::string::npos);
}

TEST_F(RunnerTest, BadRequestsAreRefusedWithTheOptionNamed) {
  jobs::JobRunner& runner = start();
  jobs::JobRequest unknown;
  unknown.owner = "ann";
  unknown.task = "mine-bitcoin";
  EXPECT_EQ(input_error_of([&] { runner.submit(unknown); }),
            "unknown task 'mine-bitcoin'; known: " + tasks::job_task_names());
  EXPECT_TRUE(
      tasks::job_task_names().starts_with("generate, features, train, predict, compare, "
                                          "effect"))
      << tasks::job_task_names();
  jobs::JobRequest tiny = helper_job("ann", {"exit", "0"});
  tiny.limits.memory_bytes = 1024;
  EXPECT_EQ(input_error_of([&] { runner.submit(tiny); }),
            "--memory 1 KiB: under the minimum of 16 MiB, in which no task can start");
  jobs::JobRequest greedy = helper_job("ann", {"exit", "0"});
  greedy.limits.cpu_share = 1000;
  EXPECT_TRUE(input_error_of([&] { runner.submit(greedy); }).starts_with("--cpu 1e+03: expected"));
  jobs::JobRequest nameless = helper_job("", {"exit", "0"});
  EXPECT_TRUE(input_error_of([&] { runner.submit(nameless); }).starts_with("user '': expected"));
  EXPECT_TRUE(runner.list(std::nullopt).empty());
}

TEST(Limits, ParseTheirTextForms) {
  EXPECT_EQ(jobs::parse_memory("512M", "--memory"), 512ull << 20);
  EXPECT_EQ(jobs::parse_memory("1.5G", "--memory"), 1536ull << 20);
  EXPECT_EQ(jobs::parse_duration_ms("10m", "--wall"), 600000);
  EXPECT_EQ(jobs::parse_duration_ms("500ms", "--wall"), 500);
  EXPECT_EQ(jobs::parse_duration_ms("45", "--wall"), 45000);
  EXPECT_DOUBLE_EQ(jobs::parse_cpu_share("0.5", "--cpu"), 0.5);
  EXPECT_EQ(jobs::parse_processes("64", "--processes"), 64);
  EXPECT_EQ(input_error_of([] { jobs::parse_memory("lots", "--memory"); }),
            "--memory 'lots': expected a size such as 512M, 2G or 65536K");
  EXPECT_EQ(input_error_of([] { jobs::parse_duration_ms("-5s", "--wall"); }),
            "--wall '-5s': must be positive");
  EXPECT_EQ(input_error_of([] { jobs::parse_processes("0", "--processes"); }),
            "--processes '0': expected a whole number from 1 to 100000");
  EXPECT_EQ(input_error_of([] { jobs::parse_cpu_share("half", "--cpu"); }),
            "--cpu 'half': expected a number of cores such as 0.5 or 2");
  EXPECT_EQ(jobs::format_memory(512ull << 20), "512 MiB");
  EXPECT_EQ(jobs::format_duration(600000), "10 min");
}

}  // namespace
}  // namespace playsight::testing
