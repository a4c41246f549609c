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

#include "core/error.h"
#include "jobs/runner.h"
#include "tasks/catalog.h"
#include "tasks/wiring.h"

namespace playsight::tasks {

namespace {

std::string default_jobs_folder() {
  const char* folder = std::getenv("PLAYSIGHT_JOBS");
  return folder && *folder ? folder : "playsight-jobs";
}

}  // namespace

std::vector<Option> runner_options() {
  const jobs::RunnerOptions defaults;
  return {Option::integer("max-running", "jobs running at once",
                          static_cast<long long>(defaults.max_running)),
          Option::integer("max-running-per-user", "jobs of one user running at once",
                          static_cast<long long>(defaults.max_running_per_user)),
          Option::text("max-memory-per-user",
                       "sum of the memory limits of one user's running jobs (e.g. 8G)", "8G")};
}

jobs::RunnerOptions runner_options_from(const Values& values, const std::string& folder) {
  jobs::RunnerOptions options;
  options.folder = folder;
  options.max_running = static_cast<std::size_t>(values.integer("max-running"));
  options.max_running_per_user = static_cast<std::size_t>(values.integer("max-running-per-user"));
  options.max_memory_per_user =
      jobs::parse_memory(values.text("max-memory-per-user"), "--max-memory-per-user");
  if (options.max_running == 0 || options.max_running_per_user == 0)
    throw InputError("--max-running and --max-running-per-user must be at least 1");
  options.task_command = runner_task_command();
  return options;
}

namespace {

const std::string& folder_of(const Values& values) {
  return values.text("folder");
}

jobs::JobRunner open_runner(const Values& values) {
  jobs::RunnerOptions options;
  options.folder = folder_of(values);
  options.task_command = runner_task_command();
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

Result run_submit(const Values& values, Progress&) {
  const std::vector<std::string> task = values.list("TASK");
  const std::string& folder = folder_of(values);
  if (task.empty()) throw InputError("no task: put it after --, e.g. -- train --features F");
  jobs::JobRunner runner = open_runner(values);
  jobs::JobRequest request;
  request.owner = values.text("user");
  request.task = task.front();
  request.arguments.assign(task.begin() + 1, task.end());
  request.limits.memory_bytes = jobs::parse_memory(values.text("memory"), "--memory");
  request.limits.cpu_share = jobs::parse_cpu_share(values.text("cpu"), "--cpu");
  request.limits.wall_ms = jobs::parse_duration_ms(values.text("wall"), "--wall");
  request.limits.processes = jobs::parse_processes(values.text("processes"), "--processes");
  request.interactive = values.flag("interactive");
  request.idle_ms = jobs::parse_duration_ms(values.text("idle"), "--idle");
  const jobs::JobRecord record = runner.submit(request);
  std::printf("%lld\n", static_cast<long long>(record.id));
  std::fprintf(stderr,
               "queued job %lld (%s of %s) in %s; it starts when a runner supervises the folder "
               "(playsight serve --jobs %s, or playsight jobs run-queue --folder %s)\n",
               static_cast<long long>(record.id), record.task.c_str(), record.owner.c_str(),
               folder.c_str(), folder.c_str(), folder.c_str());
  return {};
}

Result run_list(const Values& values, Progress&) {
  const std::string& user = values.text("user");
  const bool all = values.flag("all");
  if (user.empty() && !all) throw InputError("say whose jobs: --user NAME, or --all");
  jobs::JobRunner runner = open_runner(values);
  std::printf("%-6s %-12s %-10s %-10s %s\n", "id", "user", "task", "state", "reason");
  for (const jobs::JobRecord& record : runner.list(all ? std::nullopt : std::optional(user)))
    print_row(record);
  return {};
}

Result run_show(const Values& values, Progress&) {
  jobs::JobRunner runner = open_runner(values);
  const jobs::JobRecord record = job_or_fail(runner, values.integer("ID"), folder_of(values));
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
  return {};
}

Result run_log(const Values& values, Progress&) {
  const std::int64_t id = values.integer("ID");
  const std::string& folder = folder_of(values);
  jobs::JobRunner runner = open_runner(values);
  job_or_fail(runner, id, folder);
  std::uint64_t offset = 0;
  for (;;) {
    const std::string text = runner.log(id, offset);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    offset += text.size();
    runner.touch(id);
    if (!values.flag("follow") || jobs::finished(job_or_fail(runner, id, folder).state)) {
      const std::string rest = runner.log(id, offset);
      std::fwrite(rest.data(), 1, rest.size(), stdout);
      return {};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Result run_cancel(const Values& values, Progress&) {
  jobs::JobRunner runner = open_runner(values);
  const jobs::JobRecord record = job_or_fail(runner, values.integer("ID"), folder_of(values));
  const std::string& user = values.text("user");
  const std::string by = user.empty() ? "the operator" : user;
  if (!runner.cancel(record.id, by))
    throw InputError("job " + std::to_string(record.id) + " has already finished (" +
                     jobs::state_name(record.state) + ")");
  std::printf("cancelling job %lld\n", static_cast<long long>(record.id));
  return {};
}

Result run_queue(const Values& values, Progress&) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  jobs::JobRunner runner(runner_options_from(values, folder_of(values)));
  runner.start();
  std::printf("playsight jobs: supervising %s with %s\n", folder_of(values).c_str(),
              jobs::isolation_name(runner.isolation()).c_str());
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  runner.stop();
  std::printf("playsight jobs: stopped\n");
  return {};
}

}  // namespace

std::vector<Task> jobs_tasks() {
  const auto folder = [] {
    return Option::path("folder", "jobs folder (default: $PLAYSIGHT_JOBS, else ./playsight-jobs)",
                        default_jobs_folder());
  };
  const auto id = [] {
    return Option::integer("ID", "the job's id", 0).without_default().needed();
  };
  std::vector<Option> queue_options = {folder()};
  for (Option& option : runner_options()) queue_options.push_back(std::move(option));
  return {
      {.name = "jobs submit",
       .part = "jobs",
       .summary = "Queue a task: jobs submit --user U -- TASK ARGS...",
       .options = {folder(), Option::text("user", "who owns the job").needed(),
                   Option::text("memory", "memory limit (512M, 2G)", "1G"),
                   Option::text("cpu", "CPU share in cores (0.5, 2)", "1"),
                   Option::text("wall", "wall-time limit (30s, 10m, 2h)", "30m"),
                   Option::text("processes", "processes at once", "64"),
                   Option::flag("interactive",
                                "long-lived work that is culled when nobody looks at it for "
                                "--idle"),
                   Option::text("idle", "idle time before an interactive job is culled", "10m"),
                   Option::list("TASK", "the task and its arguments: " + std::string(kJobTaskNames))
                       .taking_the_rest()},
       .run = run_submit},
      {.name = "jobs list",
       .part = "jobs",
       .summary = "A user's jobs, or all of them, newest first.",
       .options = {folder(), Option::text("user", "whose jobs"),
                   Option::flag("all", "every user's jobs")},
       .run = run_list},
      {.name = "jobs show",
       .part = "jobs",
       .summary = "One job: state, reason, limits, where its log is.",
       .options = {id(), folder()},
       .run = run_show},
      {.name = "jobs log",
       .part = "jobs",
       .summary = "A job's log; --follow until it finishes.",
       .options = {id(), folder(), Option::flag("follow", "keep printing until the job finishes")},
       .run = run_log},
      {.name = "jobs cancel",
       .part = "jobs",
       .summary = "Stop a job (or drop it from the queue).",
       .options = {id(), folder(), Option::text("user", "who cancels (recorded in the reason)")},
       .run = run_cancel},
      {.name = "jobs run-queue",
       .part = "jobs",
       .summary = "Supervise the folder's jobs in the foreground until SIGINT or SIGTERM.",
       .options = std::move(queue_options),
       .run = run_queue},
  };
}

}  // namespace playsight::tasks
