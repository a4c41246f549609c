#pragma once
// How a job is kept from hurting others: a control group per job where the machine offers one,
// rlimits otherwise, and always a process group of its own.
//
//   cgroup v2  /sys/fs/cgroup/playsight/NAME with memory.max, memory.swap.max, pids.max and
//              cpu.max; an OOM kill shows in memory.events (oom_kill).
//   cgroup v1  NAME under the memory, pids and cpu hierarchies: memory.limit_in_bytes (and
//              memory.memsw.limit_in_bytes where swap is accounted), pids.max and
//              cpu.cfs_quota_us / cpu.cfs_period_us; an OOM kill shows in memory.oom_control
//              (oom_kill) and memory.failcnt.
//   rlimits    RLIMIT_AS (memory), RLIMIT_NPROC (processes; it does not bind root, whose jobs then
//              have no process limit), RLIMIT_CPU is not used (it limits time, not share): the CPU
//              share is not enforced. Wall time and cancel work the same in every mode.
//
// detect_isolation() picks the first mode the machine offers and that this process may write
// (v2 needs the memory, pids and cpu controllers enabled in the root's subtree). A JobSandbox is
// made before the job starts (its cgroups created and limited), placed into by the job's own
// process between fork and exec (prepare_child(), async-signal-safe), and removed once every
// process in it has ended. Not thread-safe: one supervisor owns it.
#include <cstdint>
#include <string>
#include <vector>

#include "jobs/limits.h"

namespace playsight::jobs {

enum class IsolationKind { cgroup_v2, cgroup_v1, rlimits };

std::string isolation_name(IsolationKind kind);  // "cgroup v2", "cgroup v1", "rlimits"
// The mode this machine offers, given the cgroup file system's root (tests may pass another).
IsolationKind detect_isolation(const std::string& cgroup_root = "/sys/fs/cgroup");

// Whether a process of the group is alive and not a zombie (scans /proc). A zombie runs nothing;
// one reparented to an init that does not reap would otherwise look alive for ever.
bool process_group_alive(int process_group);

class JobSandbox {
 public:
  // Creates the job's cgroups (named `name`, e.g. "folder-1a2b3c4d-job-12", under playsight/) with
  // the limits. Throws Error naming the file that could not be written.
  JobSandbox(IsolationKind kind, const std::string& name, const JobLimits& limits,
             const std::string& cgroup_root = "/sys/fs/cgroup");
  ~JobSandbox();
  JobSandbox(const JobSandbox&) = delete;
  JobSandbox& operator=(const JobSandbox&) = delete;

  // In the child between fork and exec: own process group, into the cgroups, rlimits. Only
  // async-signal-safe calls; returns false if a step failed (the child should then _exit).
  bool prepare_child() const noexcept;

  // Whether the kernel killed a process of the job for going over its memory limit.
  bool memory_limit_hit() const;
  // Whether a fork of the job was refused by the process limit.
  bool process_limit_hit() const;
  // SIGKILLs the process group and every process left in the cgroups.
  void kill_all(int process_group) const;
  // Whether any process of the job is left (in the cgroups; for rlimits, in the process group).
  bool any_left(int process_group) const;

  IsolationKind kind() const { return kind_; }

 private:
  void remove_groups() noexcept;

  IsolationKind kind_;
  JobLimits limits_;
  std::vector<std::string> groups_;        // the job's cgroup folders
  std::vector<std::string> procs_files_;   // their cgroup.procs, written by the child
  std::string memory_group_, pids_group_;  // where the OOM and fork-refusal counters are
};

}  // namespace playsight::jobs
