// The vision tasks (`detect`, `vision compare`, `vision models`, `audience`, `playtest` ...) run in
// a module that the playsight binary opens only when one of them runs (tasks/vision.cpp, which
// also declares their options): linking OpenCV into the binary itself would make every command
// load its ~250 shared libraries at start (0.1 s, 80 MB).
#include <opencv2/core/utility.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <stdexcept>
#include <string>

#include "tasks/vision_module/run.h"

namespace playsight::tasks::vision_module {

void quiet_opencv(unsigned threads) {
  cv::setNumThreads(threads > 0 ? static_cast<int>(threads) : -1);
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
}

}  // namespace playsight::tasks::vision_module

// Runs the vision task of this name with its checked options and fills `result`; returns the
// exit code. Errors (InputError for the user's input) propagate to the caller as exceptions.
extern "C" __attribute__((visibility("default"))) int playsight_run_vision_task(
    const char* task, const playsight::tasks::Values* values, playsight::tasks::Result* result) {
  using namespace playsight::tasks::vision_module;
  using Run = playsight::tasks::Result (*)(const playsight::tasks::Values&);
  static const struct {
    const char* name;
    Run run;
  } kTasks[] = {
      {"detect", run_detect},
      {"vision compare", run_vision_compare},
      {"vision models", run_vision_models},
      {"audience", run_audience},
      {"playtest", run_playtest},
      {"playtest eval", run_playtest_eval},
      {"playtest summary", run_playtest_summary},
  };
  const std::string name = task;
  for (const auto& entry : kTasks) {
    if (name != entry.name) continue;
    *result = entry.run(*values);
    return result->exit_code;
  }
  throw std::logic_error("the vision module has no task '" + name + "'");
}
