// `playsight jobs` as a user types it: submit (and its refusals), run-queue, list, show, log,
// cancel of a finished job.
#include <signal.h>

#include "../support/checks.h"
#include "jobs_test_support.h"
#include "tasks/task.h"

namespace playsight::testing {
namespace {

TEST(JobsCommand, SubmitRunListShowLog) {
  TempDir temp;
  const std::string folder = " --folder " + temp.file("jobs");
  const CommandRun unknown = run_playsight("jobs submit --user ann" + folder + " -- rm -rf /");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.output,
            "playsight: error: unknown task 'rm'; known: " + tasks::job_task_names() + "\n");
  const CommandRun nonsense =
      run_playsight("jobs submit --user ann --wall -1s" + folder + " -- generate");
  EXPECT_EQ(nonsense.exit_code, 2);
  EXPECT_EQ(nonsense.output, "playsight: error: --wall '-1s': must be positive\n");

  const CommandRun submitted = run_playsight("jobs submit --user ann --memory 256M --wall 1m" +
                                             folder + " -- generate --out logs --players 300");
  ASSERT_EQ(submitted.exit_code, 0) << submitted.output;
  EXPECT_TRUE(submitted.output.ends_with("\n1\n")) << submitted.output;  // the id, on stdout
  jobs::RunnerOptions options;
  options.folder = temp.file("jobs");
  options.playsight_binary = PLAYSIGHT_BINARY;
  jobs::JobRunner runner(options);  // the supervisor, as `jobs run-queue` runs it
  runner.start();
  EXPECT_EQ(wait_finished(runner, 1).state, jobs::JobState::succeeded);
  runner.stop();

  const CommandRun list = run_playsight("jobs list --user ann" + folder);
  EXPECT_NE(list.output.find("1      ann          generate   succeeded"), std::string::npos)
      << list.output;
  EXPECT_EQ(run_playsight("jobs list" + folder).output,
            "playsight: error: say whose jobs: --user NAME, or --all\n");
  const CommandRun show = run_playsight("jobs show 1" + folder);
  EXPECT_NE(show.output.find("limits     memory 256 MiB, cpu 1, wall 60 s, processes 64"),
            std::string::npos)
      << show.output;
  EXPECT_NE(run_playsight("jobs log 1" + folder).output.find("job 1 succeeded"), std::string::npos);
  const CommandRun late = run_playsight("jobs cancel 1 --user ann" + folder);
  EXPECT_EQ(late.exit_code, 2);
  EXPECT_EQ(late.output, "playsight: error: job 1 has already finished (succeeded)\n");
  EXPECT_EQ(run_playsight("jobs show 7" + folder).output,
            "playsight: error: no job 7 in " + temp.file("jobs") + "\n");
}

}  // namespace
}  // namespace playsight::testing
