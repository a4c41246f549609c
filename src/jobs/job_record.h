#pragma once
// A job as the store keeps it and the API shows it: who owns it, what it runs, its limits, its
// state and why it is in that state. States:
//
//   queued     waiting for the owner's quota or the machine's room
//   running    its process started; `reason` is empty
//   succeeded  exited with code 0
//   failed     exited with another code or a signal, or could not start, or was lost when the
//              service restarted ("lost when the service restarted")
//   killed     stopped by the supervisor: "memory limit 512 MiB exceeded", "wall time limit
//              30 min exceeded", "cancelled by alice", "idle for 10 min (limit 10 min)", ...
//
// A plain data contract: the serve and cli folders format it, nothing here depends on them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jobs/limits.h"

namespace playsight::jobs {

enum class JobState { queued, running, succeeded, failed, killed };

std::string state_name(JobState state);
// Throws Error for a name that is not a state (a damaged database).
JobState parse_state(const std::string& name);
inline bool finished(JobState state) {
  return state == JobState::succeeded || state == JobState::failed || state == JobState::killed;
}

struct JobRecord {
  std::int64_t id = 0;
  std::string owner;
  std::string task;                  // "train", ... (or "command" for the library's own jobs)
  std::vector<std::string> command;  // argv: the program, then its arguments
  JobLimits limits;
  bool interactive = false;  // culled when nobody looked at it for idle_ms
  std::int64_t idle_ms = 10 * 60 * 1000;
  JobState state = JobState::queued;
  std::string reason;
  std::string submitted_at, started_at, finished_at;  // UTC ISO 8601, "" until it happens
  std::optional<int> exit_code;                       // or the signal as 128 + N
  std::string isolation;                              // "cgroup v1", ... once started
  std::string folder;                                 // log.txt and artifacts/ in it
  std::int64_t last_seen_ms = 0;  // when its owner last looked (ms since the epoch)
  int pid = 0;                    // the job's process (and process group) while it runs
  int supervisor_pid = 0;         // the runner that started it
  bool cancel_requested = false;
  std::string cancelled_by;

  std::string log_file() const { return folder + "/log.txt"; }
  std::string artifacts_folder() const { return folder + "/artifacts"; }
};

}  // namespace playsight::jobs
