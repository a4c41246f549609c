#pragma once
// What the jobs suites share: a JobRunner on a fresh folder whose hostile jobs can never escape
// (every job has all four limits, and teardown stops the runner, which kills what is left), and
// waiting for a job to reach a finished state.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "../support/temp_dir.h"
#include "jobs/runner.h"
#include "tasks/wiring.h"

namespace playsight::testing {

inline jobs::JobLimits small_limits() {
  jobs::JobLimits limits;
  limits.memory_bytes = 256ull << 20;
  limits.cpu_share = 1;
  limits.wall_ms = 60000;
  limits.processes = 32;
  return limits;
}

// A request for the helper program test_job in `mode`.
inline jobs::JobRequest helper_job(const std::string& owner, std::vector<std::string> arguments,
                                   jobs::JobLimits limits = small_limits()) {
  jobs::JobRequest request;
  request.owner = owner;
  request.task = "test-" + arguments.front();
  request.command = {PLAYSIGHT_TEST_JOB};
  request.arguments = std::move(arguments);
  request.limits = limits;
  return request;
}

// Polls until the job has finished (or the timeout passes) and returns its record.
inline jobs::JobRecord wait_finished(jobs::JobRunner& runner, std::int64_t id,
                                     std::chrono::seconds timeout = std::chrono::seconds(60)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const jobs::JobRecord record = *runner.find(id);
    if (jobs::finished(record.state) || std::chrono::steady_clock::now() > deadline) return record;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

class RunnerTest : public ::testing::Test {
 protected:
  jobs::RunnerOptions options() const {
    jobs::RunnerOptions out;
    out.folder = temp_.file("jobs");
    out.poll_interval = std::chrono::milliseconds(50);
    out.task_command = tasks::runner_task_command();
    return out;
  }
  jobs::JobRunner& start(jobs::RunnerOptions runner_options) {
    runner_ = std::make_unique<jobs::JobRunner>(std::move(runner_options));
    runner_->start();
    return *runner_;
  }
  jobs::JobRunner& start() { return start(options()); }
  void TearDown() override { runner_.reset(); }

  TempDir temp_;
  std::unique_ptr<jobs::JobRunner> runner_;
};

}  // namespace playsight::testing
