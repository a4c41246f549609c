// playsight jobs: submit a playsight task as a job with limits, list, show, follow the log,
// cancel, and run-queue (a runner that supervises the folder's jobs in the foreground; `playsight
// serve --jobs FOLDER` hosts the same runner). These commands work on the jobs folder's files, so
// whoever may read the folder sees every job in it; the service's API is where users are kept
// apart (serve/job_routes.h).
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/job_options.h"
#include "core/error.h"
#include "jobs/runner.h"
#include "jobs/tasks.h"

namespace playsight::cli {

std::string default_jobs_folder() {
  const char* folder = std::getenv("PLAYSIGHT_JOBS");
  return folder && *folder ? folder : "playsight-jobs";
}

void add_runner_options(CLI::App* command, jobs::RunnerOptions& options, RunnerFlags& flags) {
  command->add_option("--max-running", options.max_running, "jobs running at once")
      ->capture_default_str();
  command
      ->add_option("--max-running-per-user", options.max_running_per_user,
                   "jobs of one user running at once")
      ->capture_default_str();
  command
      ->add_option("--max-memory-per-user", flags.max_memory_per_user,
                   "sum of the memory limits of one user's running jobs (e.g. 8G)")
      ->capture_default_str();
}

void apply_runner_flags(jobs::RunnerOptions& options, const RunnerFlags& flags) {
  options.max_memory_per_user =
      jobs::parse_memory(flags.max_memory_per_user, "--max-memory-per-user");
  if (options.max_running == 0 || options.max_running_per_user == 0)
    throw InputError("--max-running and --max-running-per-user must be at least 1");
}

namespace {

struct JobsFlags {
  std::string folder = default_jobs_folder();
  std::string user;
  bool all = false;
  std::string memory = "1G", cpu = "1", wall = "30m", processes = "64", idle = "10m";
  bool interactive = false;
  std::vector<std::string> task;  // TASK ARGS...
  std::int64_t id = 0;
  bool follow = false;
  jobs::RunnerOptions runner;
  RunnerFlags runner_flags;
};

jobs::JobRunner open_runner(JobsFlags& flags) {
  jobs::RunnerOptions options = flags.runner;
  options.folder = flags.folder;
  apply_runner_flags(options, flags.runner_flags);
  return jobs::JobRunner(options);
}

jobs::JobRecord job_or_fail(jobs::JobRunner& runner, std::int64_t id, const std::string& folder) {
  std::optional<jobs::JobRecord> record = runner.find(id);
  if (!record) throw InputError("no job " + std::to_string(id) + " in " + folder);
  return *record;
}

void print_row(const jobs::JobRecord& record) {
  std::printf("%-6lld %-12s %-10s %-10s %s\n", static_cast<long long>(record.id),
              record.owner.c_str(), record.task.c_str(), jobs::state_name(record.state).c_str(),
              record.reason.c_str());
}

void run_submit(JobsFlags& flags) {
  if (flags.task.empty()) throw InputError("no task: put it after --, e.g. -- train --features F");
  jobs::JobRunner runner = open_runner(flags);
  jobs::JobRequest request;
  request.owner = flags.user;
  request.task = flags.task.front();
  request.arguments.assign(flags.task.begin() + 1, flags.task.end());
  request.limits.memory_bytes = jobs::parse_memory(flags.memory, "--memory");
  request.limits.cpu_share = jobs::parse_cpu_share(flags.cpu, "--cpu");
  request.limits.wall_ms = jobs::parse_duration_ms(flags.wall, "--wall");
  request.limits.processes = jobs::parse_processes(flags.processes, "--processes");
  request.interactive = flags.interactive;
  request.idle_ms = jobs::parse_duration_ms(flags.idle, "--idle");
  const jobs::JobRecord record = runner.submit(request);
  std::printf("%lld\n", static_cast<long long>(record.id));
  std::fprintf(stderr,
               "queued job %lld (%s of %s) in %s; it starts when a runner supervises the folder "
               "(playsight serve --jobs %s, or playsight jobs run-queue --folder %s)\n",
               static_cast<long long>(record.id), record.task.c_str(), record.owner.c_str(),
               flags.folder.c_str(), flags.folder.c_str(), flags.folder.c_str());
}

void run_list(JobsFlags& flags) {
  if (flags.user.empty() && !flags.all) throw InputError("say whose jobs: --user NAME, or --all");
  jobs::JobRunner runner = open_runner(flags);
  std::printf("%-6s %-12s %-10s %-10s %s\n", "id", "user", "task", "state", "reason");
  for (const jobs::JobRecord& record :
       runner.list(flags.all ? std::nullopt : std::optional(flags.user)))
    print_row(record);
}

void run_show(JobsFlags& flags) {
  jobs::JobRunner runner = open_runner(flags);
  const jobs::JobRecord record = job_or_fail(runner, flags.id, flags.folder);
  runner.touch(record.id);
  std::string command;
  for (const std::string& argument : record.command)
    command += (command.empty() ? "" : " ") + argument;
  std::printf("job        %lld\nuser       %s\ntask       %s\ncommand    %s\nstate      %s\n",
              static_cast<long long>(record.id), record.owner.c_str(), record.task.c_str(),
              command.c_str(), jobs::state_name(record.state).c_str());
  if (!record.reason.empty()) std::printf("reason     %s\n", record.reason.c_str());
  std::printf("limits     memory %s, cpu %g, wall %s, processes %d\n",
              jobs::format_memory(record.limits.memory_bytes).c_str(), record.limits.cpu_share,
              jobs::format_duration(record.limits.wall_ms).c_str(), record.limits.processes);
  if (record.interactive)
    std::printf("idle       culled after %s unseen\n",
                jobs::format_duration(record.idle_ms).c_str());
  std::printf("isolation  %s\nsubmitted  %s\nstarted    %s\nfinished   %s\n",
              record.isolation.c_str(), record.submitted_at.c_str(), record.started_at.c_str(),
              record.finished_at.c_str());
  if (record.exit_code) std::printf("exit code  %d\n", *record.exit_code);
  std::printf("log        %s\nartifacts  %s\n", record.log_file().c_str(),
              record.artifacts_folder().c_str());
}

void run_log(JobsFlags& flags) {
  jobs::JobRunner runner = open_runner(flags);
  job_or_fail(runner, flags.id, flags.folder);
  std::uint64_t offset = 0;
  for (;;) {
    const std::string text = runner.log(flags.id, offset);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    offset += text.size();
    runner.touch(flags.id);
    if (!flags.follow || jobs::finished(job_or_fail(runner, flags.id, flags.folder).state)) {
      const std::string rest = runner.log(flags.id, offset);
      std::fwrite(rest.data(), 1, rest.size(), stdout);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

void run_cancel(JobsFlags& flags) {
  jobs::JobRunner runner = open_runner(flags);
  const jobs::JobRecord record = job_or_fail(runner, flags.id, flags.folder);
  const std::string by = flags.user.empty() ? "the operator" : flags.user;
  if (!runner.cancel(record.id, by))
    throw InputError("job " + std::to_string(record.id) + " has already finished (" +
                     jobs::state_name(record.state) + ")");
  std::printf("cancelling job %lld\n", static_cast<long long>(record.id));
}

void run_queue(JobsFlags& flags) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  jobs::JobRunner runner = open_runner(flags);
  runner.start();
  std::printf("playsight jobs: supervising %s with %s\n", flags.folder.c_str(),
              jobs::isolation_name(runner.isolation()).c_str());
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  runner.stop();
  std::printf("playsight jobs: stopped\n");
}

}  // namespace

void add_jobs_command(CLI::App& app) {
  auto flags = std::make_shared<JobsFlags>();
  CLI::App* command = app.add_subcommand(
      "jobs",
      "Heavy playsight tasks as jobs with limits (memory, CPU, wall time, processes), queued "
      "with per-user quotas, supervised by `playsight serve --jobs` or `jobs run-queue`.");
  command->require_subcommand(1);
  const auto add_folder = [&](CLI::App* sub) {
    sub->add_option("--folder", flags->folder,
                    "jobs folder (default: $PLAYSIGHT_JOBS, else ./playsight-jobs)");
  };
  const auto add_id = [&](CLI::App* sub) {
    sub->add_option("ID", flags->id, "the job's id")->required();
    add_folder(sub);
  };
  CLI::App* submit =
      command->add_subcommand("submit", "Queue a task: jobs submit --user U -- TASK ARGS...");
  add_folder(submit);
  submit->add_option("--user", flags->user, "who owns the job")->required();
  submit->add_option("--memory", flags->memory, "memory limit (512M, 2G)")->capture_default_str();
  submit->add_option("--cpu", flags->cpu, "CPU share in cores (0.5, 2)")->capture_default_str();
  submit->add_option("--wall", flags->wall, "wall-time limit (30s, 10m, 2h)")
      ->capture_default_str();
  submit->add_option("--processes", flags->processes, "processes at once")->capture_default_str();
  submit->add_flag("--interactive", flags->interactive,
                   "long-lived work that is culled when nobody looks at it for --idle");
  submit->add_option("--idle", flags->idle, "idle time before an interactive job is culled")
      ->capture_default_str();
  submit->add_option(
      "TASK", flags->task, "the task and its arguments: " + [] {
        std::string known;
        for (const std::string& task : jobs::known_tasks())
          known += (known.empty() ? "" : ", ") + task;
        return known;
      }());
  submit->callback([flags] { run_submit(*flags); });
  CLI::App* list = command->add_subcommand("list", "A user's jobs, or all of them, newest first.");
  add_folder(list);
  list->add_option("--user", flags->user, "whose jobs");
  list->add_flag("--all", flags->all, "every user's jobs");
  list->callback([flags] { run_list(*flags); });
  CLI::App* show =
      command->add_subcommand("show", "One job: state, reason, limits, where its log is.");
  add_id(show);
  show->callback([flags] { run_show(*flags); });
  CLI::App* log = command->add_subcommand("log", "A job's log; --follow until it finishes.");
  add_id(log);
  log->add_flag("--follow", flags->follow, "keep printing until the job finishes");
  log->callback([flags] { run_log(*flags); });
  CLI::App* cancel = command->add_subcommand("cancel", "Stop a job (or drop it from the queue).");
  add_id(cancel);
  cancel->add_option("--user", flags->user, "who cancels (recorded in the reason)");
  cancel->callback([flags] { run_cancel(*flags); });
  CLI::App* queue = command->add_subcommand(
      "run-queue", "Supervise the folder's jobs in the foreground until SIGINT or SIGTERM.");
  add_folder(queue);
  add_runner_options(queue, flags->runner, flags->runner_flags);
  queue->callback([flags] { run_queue(*flags); });
}

}  // namespace playsight::cli
