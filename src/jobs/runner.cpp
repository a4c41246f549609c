#include "jobs/runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "core/time.h"
#include "jobs/job_store.h"

namespace playsight::jobs {
namespace {

namespace fs = std::filesystem;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void check_owner(const std::string& owner) {
  const bool valid =
      !owner.empty() && owner.size() <= 64 && std::all_of(owner.begin(), owner.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '@' ||
               c == '-';
      });
  if (!valid)
    throw InputError("user " + quote_for_message(owner) +
                     ": expected 1 to 64 of the characters A-Z a-z 0-9 _ . @ -");
}

std::string own_executable() {
  std::error_code error;
  const fs::path path = fs::read_symlink("/proc/self/exe", error);
  return error ? "playsight" : path.string();
}

// The supervisor's line, on a line of its own even when the job's last output did not end one (a
// progress bar cut off by a kill).
void append_line(const std::string& file, const std::string& line) {
  bool fresh_line = true;
  if (std::ifstream in(file, std::ios::binary | std::ios::ate); in && in.tellg() > 0) {
    in.seekg(-1, std::ios::end);
    fresh_line = in.get() == '\n';
  }
  std::ofstream(file, std::ios::app)
      << (fresh_line ? "" : "\n") << "[playsight jobs " << utc_now_iso() << "] " << line << "\n";
}

std::string limits_text(const JobLimits& limits) {
  return "memory " + format_memory(limits.memory_bytes) + ", cpu " +
         std::to_string(limits.cpu_share).substr(0, 4) + ", wall " +
         format_duration(limits.wall_ms) + ", processes " + std::to_string(limits.processes);
}

// A job whose process runs (or whose processes are being cleared away).
struct RunningJob {
  JobRecord record;
  std::unique_ptr<JobSandbox> sandbox;
  std::chrono::steady_clock::time_point started;
  std::string kill_reason;  // set when the supervisor killed it
  bool reaped = false;
};

}  // namespace

struct JobRunner::Impl {
  RunnerOptions options;
  IsolationKind isolation;
  std::mutex mutex;  // guards store and running
  JobStore store;
  std::map<std::int64_t, RunningJob> running;
  int lock_fd = -1;
  std::thread thread;
  std::condition_variable wake;
  bool stopping = false;

  explicit Impl(RunnerOptions runner_options)
      : options(prepare(std::move(runner_options))),
        isolation(options.isolation ? *options.isolation : detect_isolation(options.cgroup_root)),
        store((fs::path(options.folder) / "jobs.db").string()) {}

  static RunnerOptions prepare(RunnerOptions options) {
    if (options.folder.empty()) throw InputError("the jobs folder is not set");
    std::error_code error;
    fs::create_directories(options.folder, error);
    if (error)
      throw Error("cannot create the jobs folder " + options.folder + ": " + error.message());
    if (options.playsight_binary.empty()) options.playsight_binary = own_executable();
    return options;
  }

  // The job's cgroup name: its id and the folder's, so that runners of other folders (parallel
  // test runs, two services) never share one.
  std::string sandbox_name(const JobRecord& record) const {
    std::error_code error;
    const fs::path folder = fs::weakly_canonical(options.folder, error);
    char folder_hash[20];
    std::snprintf(folder_hash, sizeof folder_hash, "%08zx",
                  std::hash<std::string>{}(folder.string()) & 0xffffffffu);
    return std::string("folder-") + folder_hash + "-job-" + std::to_string(record.id);
  }

  void finish(JobRecord& record, JobState state, const std::string& reason) {
    record.state = state;
    record.reason = reason;
    record.finished_at = utc_now_iso();
    store.update(record);
    append_line(record.log_file(), "job " + std::to_string(record.id) + " " + state_name(state) +
                                       (reason.empty() ? "" : ": " + reason));
  }

  void recover_lost_jobs() {
    for (JobRecord& record : store.unfinished()) {
      if (record.state != JobState::running) continue;
      // Whatever is left of it goes: its process group and its cgroups.
      if (record.pid > 0) ::kill(-record.pid, SIGKILL);
      try {
        JobSandbox leftover(isolation, sandbox_name(record), record.limits, options.cgroup_root);
        // Its cgroups can be removed only once the killed processes are gone.
        for (int attempt = 0; attempt < 200 && leftover.any_left(record.pid); ++attempt) {
          leftover.kill_all(record.pid);
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      } catch (const Error&) {
      }
      finish(record, JobState::failed, "lost when the service restarted");
    }
  }

  bool start_allowed(const JobRecord& job) const {
    if (running.size() >= options.max_running) return false;
    std::size_t jobs = 0;
    std::uint64_t memory = 0;
    for (const auto& [id, other] : running) {
      if (other.record.owner != job.owner) continue;
      ++jobs;
      memory += other.record.limits.memory_bytes;
    }
    return jobs < options.max_running_per_user &&
           memory + job.limits.memory_bytes <= options.max_memory_per_user;
  }

  void launch(JobRecord record) {
    const fs::path folder(record.folder);
    fs::create_directories(folder / "artifacts");
    RunningJob job;
    try {
      job.sandbox = std::make_unique<JobSandbox>(isolation, sandbox_name(record), record.limits,
                                                 options.cgroup_root);
    } catch (const Error& error) {
      finish(record, JobState::failed, std::string("could not be isolated: ") + error.what());
      return;
    }
    record.isolation = isolation_name(isolation);
    append_line(record.log_file(), "job " + std::to_string(record.id) + " of " + record.owner +
                                       " starts with " + record.isolation + ": " +
                                       limits_text(record.limits));
    // Everything the child needs is made before fork: after it, only async-signal-safe calls.
    std::vector<std::string> arguments = record.command;
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const std::string log_file = record.log_file();
    const std::string artifacts = record.artifacts_folder();
    const int log_fd = ::open(log_file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const JobSandbox& sandbox = *job.sandbox;
    const pid_t pid = ::fork();
    if (pid == 0) {
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);  // the service blocks SIGTERM in its threads
      for (int signal_number = 1; signal_number < NSIG; ++signal_number)
        ::signal(signal_number, SIG_DFL);
      if (!sandbox.prepare_child()) {
        static const char message[] = "playsight jobs: the job could not enter its sandbox\n";
        [[maybe_unused]] auto written = ::write(log_fd, message, sizeof message - 1);
        ::_exit(126);
      }
      ::dup2(null_fd, 0);
      ::dup2(log_fd, 1);
      ::dup2(log_fd, 2);
      if (::chdir(artifacts.c_str()) != 0) ::_exit(126);
      ::close_range(3, ~0u, 0);
      ::execv(argv[0], argv.data());
      static const char message[] = "playsight jobs: the program could not be run\n";
      [[maybe_unused]] auto written = ::write(2, message, sizeof message - 1);
      ::_exit(127);
    }
    if (log_fd >= 0) ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    if (pid < 0) {
      finish(record, JobState::failed, "could not start: fork failed");
      return;
    }
    ::setpgid(pid, pid);  // also here, so that no kill can come before the child's own setpgid
    record.state = JobState::running;
    record.started_at = utc_now_iso();
    record.pid = pid;
    record.supervisor_pid = ::getpid();
    store.update(record);
    job.record = std::move(record);
    job.started = std::chrono::steady_clock::now();
    running.emplace(job.record.id, std::move(job));
  }

  // The reason to stop a job that is still running, or "".
  std::string reason_to_stop(RunningJob& job, const JobRecord& latest) {
    if (job.sandbox->memory_limit_hit())
      return "memory limit " + format_memory(job.record.limits.memory_bytes) + " exceeded";
    if (latest.cancel_requested) return "cancelled by " + latest.cancelled_by;
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - job.started)
                             .count();
    if (elapsed > job.record.limits.wall_ms) {
      std::string reason =
          "wall time limit " + format_duration(job.record.limits.wall_ms) + " exceeded";
      if (job.sandbox->process_limit_hit())
        reason += " (forks were refused at the process limit of " +
                  std::to_string(job.record.limits.processes) + ")";
      return reason;
    }
    if (job.record.interactive) {
      const std::int64_t idle = now_ms() - latest.last_seen_ms;
      if (idle > job.record.idle_ms)
        return "idle: nobody looked at it for " + format_duration(idle) + " (limit " +
               format_duration(job.record.idle_ms) + ")";
    }
    return "";
  }

  void record_exit(RunningJob& job, int status) {
    JobRecord& record = job.record;
    record.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (job.sandbox->memory_limit_hit())
      finish(record, JobState::killed,
             "memory limit " + format_memory(record.limits.memory_bytes) + " exceeded");
    else if (!job.kill_reason.empty())
      finish(record, JobState::killed, job.kill_reason);
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
      finish(record, JobState::succeeded, "");
    else if (WIFEXITED(status))
      finish(record, JobState::failed, "exit code " + std::to_string(WEXITSTATUS(status)));
    else
      finish(record, JobState::failed, "killed by signal " + std::to_string(WTERMSIG(status)));
  }

  void supervise_running() {
    for (auto it = running.begin(); it != running.end();) {
      RunningJob& job = it->second;
      if (!job.reaped) {
        int status = 0;
        const pid_t done = ::waitpid(job.record.pid, &status, WNOHANG);
        if (done == job.record.pid) {
          job.reaped = true;
          job.sandbox->kill_all(job.record.pid);  // what it left behind goes too
          record_exit(job, status);
        } else if (job.kill_reason.empty()) {
          const std::optional<JobRecord> latest = store.find(job.record.id);
          const std::string reason = latest ? reason_to_stop(job, *latest) : "";
          if (!reason.empty()) {
            job.kill_reason = reason;
            job.sandbox->kill_all(job.record.pid);
          }
        } else {
          job.sandbox->kill_all(job.record.pid);
        }
      }
      if (job.reaped && job.sandbox->any_left(job.record.pid))
        job.sandbox->kill_all(job.record.pid);
      if (job.reaped && !job.sandbox->any_left(job.record.pid))
        it = running.erase(it);
      else
        ++it;
    }
  }

  void start_queued() {
    for (JobRecord& record : store.unfinished()) {
      if (record.state != JobState::queued) continue;
      if (record.cancel_requested) {
        finish(record, JobState::killed,
               "cancelled by " + record.cancelled_by + " before it started");
        continue;
      }
      if (start_allowed(record)) launch(std::move(record));
    }
  }

  void step() {
    std::lock_guard lock(mutex);
    supervise_running();
    start_queued();
  }

  void stop_all() {
    std::unique_lock lock(mutex);
    for (auto& [id, job] : running)
      if (!job.reaped && job.kill_reason.empty()) {
        job.kill_reason = "the service stopped";
        job.sandbox->kill_all(job.record.pid);
      }
    for (int attempt = 0; attempt < 200 && !running.empty(); ++attempt) {
      supervise_running();
      if (running.empty()) break;
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      lock.lock();
    }
  }
};

JobRunner::JobRunner(RunnerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

JobRunner::~JobRunner() {
  stop();
}

JobRecord JobRunner::submit(const JobRequest& request) {
  check_owner(request.owner);
  JobRecord record;
  record.owner = request.owner;
  record.task = request.task;
  validate(request.limits);
  if (request.limits.memory_bytes > impl_->options.max_memory_per_user)
    throw InputError("--memory " + format_memory(request.limits.memory_bytes) +
                     ": over the per-user memory quota of " +
                     format_memory(impl_->options.max_memory_per_user));
  if (request.interactive && request.idle_ms <= 0)
    throw InputError("--idle: the idle timeout must be positive");
  // The limits first, then the task's options (checked against its declaration).
  if (request.command.empty()) {
    if (!impl_->options.task_command)
      throw InputError("unknown task " + quote_for_message(request.task) +
                       ": this runner was given no tasks");
    record.command = impl_->options.task_command(request.task, request.arguments);
    record.command.insert(record.command.begin(), impl_->options.playsight_binary);
  } else {
    record.command = request.command;
    record.command.insert(record.command.end(), request.arguments.begin(), request.arguments.end());
  }
  record.limits = request.limits;
  record.interactive = request.interactive;
  record.idle_ms = request.idle_ms;
  record.submitted_at = utc_now_iso();
  record.last_seen_ms = now_ms();
  std::lock_guard lock(impl_->mutex);
  impl_->store.insert(record);
  record.folder = (fs::path(impl_->options.folder) / ("job-" + std::to_string(record.id))).string();
  impl_->store.update(record);
  fs::create_directories(fs::path(record.folder) / "artifacts");
  append_line(record.log_file(), "job " + std::to_string(record.id) + " queued: " + record.task);
  impl_->wake.notify_all();
  return record;
}

std::optional<JobRecord> JobRunner::find(std::int64_t id) {
  std::lock_guard lock(impl_->mutex);
  return impl_->store.find(id);
}

std::vector<JobRecord> JobRunner::list(const std::optional<std::string>& owner) {
  std::lock_guard lock(impl_->mutex);
  return impl_->store.list(owner);
}

bool JobRunner::cancel(std::int64_t id, const std::string& by) {
  std::lock_guard lock(impl_->mutex);
  const bool requested = impl_->store.request_cancel(id, by);
  impl_->wake.notify_all();
  return requested;
}

void JobRunner::touch(std::int64_t id) {
  std::lock_guard lock(impl_->mutex);
  impl_->store.touch(id, now_ms());
}

std::string JobRunner::log(std::int64_t id, std::uint64_t offset) {
  const std::optional<JobRecord> record = find(id);
  if (!record) return "";
  std::ifstream in(record->log_file(), std::ios::binary);
  if (!in) return "";
  in.seekg(static_cast<std::streamoff>(offset));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void JobRunner::start() {
  Impl& impl = *impl_;
  if (impl.thread.joinable()) return;
  const std::string lock_file = (fs::path(impl.options.folder) / "runner.lock").string();
  impl.lock_fd = ::open(lock_file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (impl.lock_fd < 0 || ::flock(impl.lock_fd, LOCK_EX | LOCK_NB) != 0) {
    if (impl.lock_fd >= 0) ::close(impl.lock_fd);
    impl.lock_fd = -1;
    throw Error("another runner supervises the jobs of " + impl.options.folder + " (" + lock_file +
                " is locked)");
  }
  {
    std::lock_guard lock(impl.mutex);
    impl.recover_lost_jobs();
    impl.stopping = false;
  }
  impl.thread = std::thread([&impl] {
    std::unique_lock lock(impl.mutex);
    while (!impl.stopping) {
      lock.unlock();
      try {
        impl.step();
      } catch (const std::exception& error) {
        std::fprintf(stderr, "playsight jobs: supervision pass failed: %s\n", error.what());
      }
      lock.lock();
      impl.wake.wait_for(lock, impl.options.poll_interval);
    }
  });
}

void JobRunner::stop() {
  Impl& impl = *impl_;
  if (!impl.thread.joinable()) return;
  {
    std::lock_guard lock(impl.mutex);
    impl.stopping = true;
  }
  impl.wake.notify_all();
  impl.thread.join();
  impl.stop_all();
  ::close(impl.lock_fd);
  impl.lock_fd = -1;
}

void JobRunner::step() {
  impl_->step();
}

IsolationKind JobRunner::isolation() const {
  return impl_->isolation;
}

const RunnerOptions& JobRunner::options() const {
  return impl_->options;
}

}  // namespace playsight::jobs
