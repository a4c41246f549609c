#include "jobs/isolation.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace playsight::jobs {
namespace {

namespace fs = std::filesystem;

bool writable(const fs::path& path) {
  return ::access(path.c_str(), W_OK) == 0;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& file, const std::string& value) {
  std::ofstream out(file);
  out << value;
  out.close();
  if (!out) throw Error("cannot write " + quote_for_message(value) + " to " + file.string());
}

// The value of "name N" in a flat-keyed cgroup file (memory.events, memory.oom_control).
std::int64_t keyed_value(const fs::path& file, const std::string& name) {
  std::istringstream in(read_text(file));
  std::string key;
  std::int64_t value = 0;
  while (in >> key >> value)
    if (key == name) return value;
  return 0;
}

std::vector<int> pids_in(const fs::path& procs_file) {
  std::istringstream in(read_text(procs_file));
  std::vector<int> pids;
  int pid = 0;
  while (in >> pid) pids.push_back(pid);
  return pids;
}

// Whether the process exists and is not a zombie (a zombie holds no memory and runs nothing; one
// reparented to an init that does not reap would otherwise look alive for ever).
bool living(int pid) {
  const std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t end = stat.rfind(')');
  return end != std::string::npos && end + 2 < stat.size() && stat[end + 2] != 'Z';
}

}  // namespace

std::string isolation_name(IsolationKind kind) {
  switch (kind) {
    case IsolationKind::cgroup_v2:
      return "cgroup v2";
    case IsolationKind::cgroup_v1:
      return "cgroup v1";
    case IsolationKind::rlimits:
      break;
  }
  return "rlimits";
}

IsolationKind detect_isolation(const std::string& cgroup_root) {
  const fs::path root(cgroup_root);
  const std::string controllers = read_text(root / "cgroup.subtree_control");
  if (fs::exists(root / "cgroup.controllers") && writable(root) &&
      controllers.find("memory") != std::string::npos &&
      controllers.find("pids") != std::string::npos && controllers.find("cpu") != std::string::npos)
    return IsolationKind::cgroup_v2;
  if (writable(root / "memory") && writable(root / "pids") && writable(root / "cpu") &&
      fs::exists(root / "memory" / "memory.limit_in_bytes") && fs::exists(root / "pids"))
    return IsolationKind::cgroup_v1;
  return IsolationKind::rlimits;
}

JobSandbox::JobSandbox(IsolationKind kind, const std::string& name, const JobLimits& limits,
                       const std::string& cgroup_root)
    : kind_(kind), limits_(limits) {
  const fs::path root(cgroup_root);
  const auto make_group = [&](const fs::path& folder) {
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) throw Error("cannot create the cgroup " + folder.string() + ": " + error.message());
    groups_.push_back(folder.string());
    procs_files_.push_back((folder / "cgroup.procs").string());
    return folder;
  };
  try {
    const long period_us = 100000;
    const auto quota_us = static_cast<long>(std::ceil(limits.cpu_share * period_us));
    if (kind == IsolationKind::cgroup_v2) {
      const fs::path group = make_group(root / "playsight" / name);
      write_text(group / "memory.max", std::to_string(limits.memory_bytes));
      if (fs::exists(group / "memory.swap.max")) write_text(group / "memory.swap.max", "0");
      write_text(group / "pids.max", std::to_string(limits.processes));
      write_text(group / "cpu.max", std::to_string(quota_us) + " " + std::to_string(period_us));
      memory_group_ = pids_group_ = group.string();
    } else if (kind == IsolationKind::cgroup_v1) {
      const fs::path memory = make_group(root / "memory" / "playsight" / name);
      write_text(memory / "memory.limit_in_bytes", std::to_string(limits.memory_bytes));
      if (fs::exists(memory / "memory.memsw.limit_in_bytes"))
        write_text(memory / "memory.memsw.limit_in_bytes", std::to_string(limits.memory_bytes));
      const fs::path pids = make_group(root / "pids" / "playsight" / name);
      write_text(pids / "pids.max", std::to_string(limits.processes));
      const fs::path cpu = make_group(root / "cpu" / "playsight" / name);
      write_text(cpu / "cpu.cfs_period_us", std::to_string(period_us));
      write_text(cpu / "cpu.cfs_quota_us", std::to_string(quota_us));
      memory_group_ = memory.string();
      pids_group_ = pids.string();
    }
  } catch (...) {
    remove_groups();
    throw;
  }
}

JobSandbox::~JobSandbox() {
  remove_groups();
}

void JobSandbox::remove_groups() noexcept {
  for (auto group = groups_.rbegin(); group != groups_.rend(); ++group) ::rmdir(group->c_str());
  groups_.clear();
}

bool process_group_alive(int process_group) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = read_text(entry.path() / "stat");
    const std::size_t end = stat.rfind(')');
    if (end == std::string::npos || end + 2 >= stat.size()) continue;
    std::istringstream fields(stat.substr(end + 2));
    char state = 0;
    int parent = 0, group = 0;
    fields >> state >> parent >> group;
    if (group == process_group && state != 'Z') return true;
  }
  return false;
}

bool JobSandbox::prepare_child() const noexcept {
  if (::setpgid(0, 0) != 0) return false;
  char pid_text[24];
  int length = 0;
  for (int pid = ::getpid(); pid > 0; pid /= 10)
    pid_text[length++] = static_cast<char>('0' + pid % 10);
  for (int i = 0; i < length / 2; ++i) std::swap(pid_text[i], pid_text[length - 1 - i]);
  for (const std::string& file : procs_files_) {
    const int fd = ::open(file.c_str(), O_WRONLY);
    if (fd < 0) return false;
    const bool written = ::write(fd, pid_text, static_cast<std::size_t>(length)) == length;
    ::close(fd);
    if (!written) return false;
  }
  if (kind_ == IsolationKind::rlimits) {
    const rlimit memory{limits_.memory_bytes, limits_.memory_bytes};
    const auto processes = static_cast<rlim_t>(limits_.processes);
    const rlimit process_count{processes, processes};
    if (::setrlimit(RLIMIT_AS, &memory) != 0 || ::setrlimit(RLIMIT_NPROC, &process_count) != 0)
      return false;
  }
  return true;
}

bool JobSandbox::memory_limit_hit() const {
  if (kind_ == IsolationKind::cgroup_v2)
    return keyed_value(fs::path(memory_group_) / "memory.events", "oom_kill") > 0;
  if (kind_ == IsolationKind::cgroup_v1)
    return keyed_value(fs::path(memory_group_) / "memory.oom_control", "oom_kill") > 0;
  return false;
}

bool JobSandbox::process_limit_hit() const {
  if (kind_ == IsolationKind::rlimits) return false;
  return keyed_value(fs::path(pids_group_) / "pids.events", "max") > 0;
}

void JobSandbox::kill_all(int process_group) const {
  if (process_group > 0) ::kill(-process_group, SIGKILL);
  for (const std::string& file : procs_files_)
    for (const int pid : pids_in(file)) ::kill(pid, SIGKILL);
}

bool JobSandbox::any_left(int process_group) const {
  if (kind_ == IsolationKind::rlimits)
    return process_group > 0 && process_group_alive(process_group);
  for (const std::string& file : procs_files_)
    for (const int pid : pids_in(file))
      if (living(pid)) return true;
  return false;
}

}  // namespace playsight::jobs
