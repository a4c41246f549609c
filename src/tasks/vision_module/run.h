#pragma once
// The vision tasks' run functions, inside the module (playsight-vision.so) that the binary opens
// only when one of them runs (tasks/vision.cpp declares them and calls
// playsight_run_vision_task, module.cpp). Each reads the options its declaration gives and
// returns what it wrote.
#include "tasks/task.h"

namespace playsight::tasks::vision_module {

Result run_detect(const Values& values);
Result run_vision_compare(const Values& values);
Result run_vision_models(const Values& values);
Result run_audience(const Values& values);
Result run_playtest(const Values& values);
Result run_playtest_eval(const Values& values);
Result run_playtest_summary(const Values& values);

// OpenCV's worker threads (0 = one per core) and no log lines of its own: our errors name the
// file, OpenCV's backends would add lines for a bad one.
void quiet_opencv(unsigned threads);

}  // namespace playsight::tasks::vision_module
