#pragma once
// The limits of one job: memory, CPU share, wall time and process count, and the parsers of
// their text forms ("512M", "0.5", "10m", "64"). Every job has all four; the defaults are the
// ones a job gets when its submitter names none. Parsers and validate() throw InputError naming
// the option (--memory, --cpu, --wall, --processes, --idle) and what was expected.
#include <cstdint>
#include <string>

namespace playsight::jobs {

struct JobLimits {
  std::uint64_t memory_bytes = 1024ull * 1024 * 1024;  // resident memory (and swap) of the job
  double cpu_share = 1.0;                              // cores' worth of CPU time, e.g. 0.5
  std::int64_t wall_ms = 30 * 60 * 1000;               // killed after this long running
  int processes = 64;                                  // processes and threads at once
};

// The smallest and largest limits accepted: below the minimum no playsight task can start.
inline constexpr std::uint64_t kMinMemoryBytes = 16ull * 1024 * 1024;
inline constexpr int kMaxProcesses = 100000;

// "512M", "2G", "1.5G", "65536K", "1048576" (bytes); suffixes are binary (M = MiB).
std::uint64_t parse_memory(const std::string& text, const std::string& option);
// "0.5", "2": a positive number of cores.
double parse_cpu_share(const std::string& text, const std::string& option);
// "500ms", "30s", "10m", "2h", "45" (seconds): a positive duration in milliseconds.
std::int64_t parse_duration_ms(const std::string& text, const std::string& option);
int parse_processes(const std::string& text, const std::string& option);

// Throws InputError naming the option for a limit that makes no sense (memory under 16 MiB or
// over the machine's memory, CPU share not in (0, cores], wall time not positive, processes not
// in [1, 100000]).
void validate(const JobLimits& limits);

// "512 MiB", "1.5 GiB"; "2 s", "10 min": for messages and listings.
std::string format_memory(std::uint64_t bytes);
std::string format_duration(std::int64_t milliseconds);

}  // namespace playsight::jobs
