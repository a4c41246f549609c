#include "jobs/limits.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <thread>

#include "core/error.h"

namespace playsight::jobs {
namespace {

// The number at the start of text and the rest; throws if there is no number.
std::pair<double, std::string> split_number(const std::string& text, const std::string& option,
                                            const std::string& expected) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || !std::isfinite(value))
    throw InputError(option + " " + quote_for_message(text) + ": expected " + expected);
  return {value, text.substr(used)};
}

std::uint64_t machine_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

std::string format_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

}  // namespace

std::uint64_t parse_memory(const std::string& text, const std::string& option) {
  const std::string expected = "a size such as 512M, 2G or 65536K";
  const auto [value, suffix] = split_number(text, option, expected);
  double scale = 1;
  if (suffix == "K" || suffix == "k" || suffix == "KiB")
    scale = 1024.0;
  else if (suffix == "M" || suffix == "m" || suffix == "MiB")
    scale = 1024.0 * 1024;
  else if (suffix == "G" || suffix == "g" || suffix == "GiB")
    scale = 1024.0 * 1024 * 1024;
  else if (!suffix.empty())
    throw InputError(option + " " + quote_for_message(text) + ": expected " + expected);
  if (value <= 0) throw InputError(option + " " + quote_for_message(text) + ": must be positive");
  if (value * scale >= 18446744073709551616.0)  // 2^64: the cast below would be undefined
    throw InputError(option + " " + quote_for_message(text) + ": too large");
  return static_cast<std::uint64_t>(value * scale);
}

double parse_cpu_share(const std::string& text, const std::string& option) {
  const auto [value, suffix] = split_number(text, option, "a number of cores such as 0.5 or 2");
  if (!suffix.empty() || value <= 0)
    throw InputError(option + " " + quote_for_message(text) +
                     ": expected a positive number of cores such as 0.5 or 2");
  return value;
}

std::int64_t parse_duration_ms(const std::string& text, const std::string& option) {
  const std::string expected = "a duration such as 500ms, 30s, 10m or 2h";
  const auto [value, suffix] = split_number(text, option, expected);
  double scale = 1000;
  if (suffix == "ms")
    scale = 1;
  else if (suffix == "m" || suffix == "min")
    scale = 60 * 1000;
  else if (suffix == "h")
    scale = 3600 * 1000;
  else if (!suffix.empty() && suffix != "s")
    throw InputError(option + " " + quote_for_message(text) + ": expected " + expected);
  if (std::fabs(value * scale) >= 9223372036854775808.0)  // 2^63: the cast would be undefined
    throw InputError(option + " " + quote_for_message(text) + ": too long");
  const auto milliseconds = static_cast<std::int64_t>(value * scale);
  if (milliseconds <= 0)
    throw InputError(option + " " + quote_for_message(text) + ": must be positive");
  return milliseconds;
}

int parse_processes(const std::string& text, const std::string& option) {
  const auto [value, suffix] = split_number(text, option, "a whole number of processes");
  if (!suffix.empty() || value != std::floor(value) || value < 1 || value > kMaxProcesses)
    throw InputError(option + " " + quote_for_message(text) +
                     ": expected a whole number from 1 to " + std::to_string(kMaxProcesses));
  return static_cast<int>(value);
}

void validate(const JobLimits& limits) {
  if (limits.memory_bytes < kMinMemoryBytes)
    throw InputError("--memory " + format_memory(limits.memory_bytes) +
                     ": under the minimum of 16 MiB, in which no task can start");
  const std::uint64_t machine = machine_memory_bytes();
  if (machine > 0 && limits.memory_bytes > machine)
    throw InputError("--memory " + format_memory(limits.memory_bytes) +
                     ": more than this machine has (" + format_memory(machine) + ")");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (!(limits.cpu_share > 0) || limits.cpu_share > cores)
    throw InputError("--cpu " + format_number(limits.cpu_share) +
                     ": expected more than 0 and at most " + std::to_string(cores) +
                     " (the cores of this machine)");
  if (limits.wall_ms <= 0) throw InputError("--wall: the wall-time limit must be positive");
  if (limits.processes < 1 || limits.processes > kMaxProcesses)
    throw InputError("--processes " + std::to_string(limits.processes) + ": expected from 1 to " +
                     std::to_string(kMaxProcesses));
}

std::string format_memory(std::uint64_t bytes) {
  const double value = static_cast<double>(bytes);
  if (bytes >= 1024ull * 1024 * 1024) return format_number(value / (1024.0 * 1024 * 1024)) + " GiB";
  if (bytes >= 1024ull * 1024) return format_number(value / (1024.0 * 1024)) + " MiB";
  if (bytes >= 1024) return format_number(value / 1024.0) + " KiB";
  return std::to_string(bytes) + " B";
}

std::string format_duration(std::int64_t milliseconds) {
  if (milliseconds < 1000) return std::to_string(milliseconds) + " ms";
  const double seconds = static_cast<double>(milliseconds) / 1000;
  if (seconds < 120) return format_number(seconds) + " s";
  if (seconds < 7200) return format_number(seconds / 60) + " min";
  return format_number(seconds / 3600) + " h";
}

}  // namespace playsight::jobs
