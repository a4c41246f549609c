#pragma once
// The job runner: a queue of jobs in a JobStore (job_store.h) and a supervisor that starts them,
// each in its own process group and sandbox (isolation.h), and stops them at their limits.
//
// Any number of JobRunner objects (in any number of processes) may submit, list, cancel and read
// the jobs of one folder; exactly one of them supervises it, after start(), which takes the
// folder's runner.lock (a second start() on the same folder throws Error). The supervisor polls
// the store every poll_interval:
//   - a running job's exit is recorded: succeeded (code 0), failed ("exit code N", "killed by
//     signal N"), or killed with the reason the supervisor had ("memory limit 512 MiB exceeded"
//     when the kernel's OOM killer acted in the job's cgroup, "wall time limit 30 min exceeded",
//     "cancelled by alice", "idle: nobody looked at it for 10 min (limit 10 min)");
//   - queued jobs start in submission order while the machine has room (max_running) and the
//     owner is under the quotas (running jobs and the sum of their memory limits);
//   - at start(), jobs that were running under a supervisor that has gone (the service was
//     killed) are failed with "lost when the service restarted", their leftover processes killed;
//     queued ones stay queued and start as usual. Jobs are not resumed.
//   - stop() kills the running jobs ("the service stopped") and waits for them.
// A job's folder FOLDER/job-N holds log.txt (its stdout and stderr, and the supervisor's lines)
// and artifacts/ (its working directory). All methods are thread-safe.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jobs/isolation.h"
#include "jobs/job_record.h"

namespace playsight::jobs {

struct RunnerOptions {
  std::string folder;            // jobs.db, runner.lock and job-N/ folders
  std::string playsight_binary;  // for tasks; "" = this process's own executable
  // The words after the binary that run a task with its arguments, checked (the task layer's
  // tasks::job_command); throws InputError for an unknown task or a bad option. Unset: the runner
  // takes commands only (JobRequest::command).
  std::function<std::vector<std::string>(const std::string& task,
                                         const std::vector<std::string>& arguments)>
      task_command;
  std::size_t max_running = 4;  // jobs running at once on this machine
  std::size_t max_running_per_user = 2;
  std::uint64_t max_memory_per_user = 8ull * 1024 * 1024 * 1024;  // sum of running jobs' limits
  std::chrono::milliseconds poll_interval{100};
  std::optional<IsolationKind> isolation;  // none: detect_isolation()
  std::string cgroup_root = "/sys/fs/cgroup";
};

struct JobRequest {
  std::string owner;
  std::string task;                  // a known task, or a label for a library command
  std::vector<std::string> command;  // argv; empty for a task (built from task and arguments)
  std::vector<std::string> arguments;
  JobLimits limits;
  bool interactive = false;
  std::int64_t idle_ms = 10 * 60 * 1000;
};

class JobRunner {
 public:
  // Opens FOLDER/jobs.db (creating the folder). Throws Error if it cannot.
  explicit JobRunner(RunnerOptions options);
  ~JobRunner();  // stop()s if started
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Queues a job and returns its record. With an empty command the task must be known (tasks.h)
  // and the command is `playsight TASK ARGUMENTS...`. Throws InputError for an unknown task, an
  // owner name that is not 1-64 of [A-Za-z0-9_.@-], limits that make no sense, or a memory
  // limit over the per-user quota.
  JobRecord submit(const JobRequest& request);
  std::optional<JobRecord> find(std::int64_t id);
  std::vector<JobRecord> list(const std::optional<std::string>& owner);
  // Asks the supervisor to stop the job; false if it has already finished.
  bool cancel(std::int64_t id, const std::string& by);
  // Records that the owner looked at the job now (resets its idle time).
  void touch(std::int64_t id);
  // The job's log from byte `offset` on ("" if there is none yet).
  std::string log(std::int64_t id, std::uint64_t offset = 0);

  // Takes the folder's lock, recovers jobs lost by an earlier supervisor and supervises on a
  // thread until stop().
  void start();
  void stop();
  // One supervision pass (start() calls it every poll_interval); for tests that drive it.
  void step();

  IsolationKind isolation() const;
  const RunnerOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace playsight::jobs
