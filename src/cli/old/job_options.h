#pragma once
// The flags of the job runner, declared once for `playsight jobs run-queue` and
// `playsight serve --jobs`, and the default jobs folder.
#include <CLI/CLI.hpp>
#include <string>

#include "jobs/runner.h"

namespace playsight::cli {

// $PLAYSIGHT_JOBS if set, else ./playsight-jobs.
std::string default_jobs_folder();
// --max-running, --max-running-per-user, --max-memory-per-user into options (after parsing,
// call apply_runner_flags to turn the memory text into bytes).
struct RunnerFlags {
  std::string max_memory_per_user = "8G";
};
void add_runner_options(CLI::App* command, jobs::RunnerOptions& options, RunnerFlags& flags);
void apply_runner_flags(jobs::RunnerOptions& options, const RunnerFlags& flags);

}  // namespace playsight::cli
