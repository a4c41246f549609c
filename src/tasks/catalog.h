#pragma once
// The tasks of each workflow file, gathered by all() (all_tasks.cpp), and the options that
// several tasks of one part share.
#include <string>
#include <vector>

#include "jobs/runner.h"
#include "spend/models/spend_model.h"
#include "spend/models/training_protocol.h"
#include "tasks/task.h"

namespace playsight::tasks {

std::vector<Task> generate_tasks();
std::vector<Task> features_tasks();
std::vector<Task> train_tasks();
std::vector<Task> compare_tasks();
std::vector<Task> effect_tasks();
std::vector<Task> geo_tasks();
std::vector<Task> models_tasks();
std::vector<Task> serve_tasks();
std::vector<Task> jobs_tasks();
std::vector<Task> vision_tasks();
std::vector<Task> help_tasks();

// Spend training (train, compare): --all-players, --trim-top, and the protocol and model options
// from them and --seed, --threads.
Option all_players_option();
Option trim_top_option();
spend::ProtocolOptions protocol_options(const Values& values, const std::string& experiment_path);
spend::ModelOptions model_options(const Values& values);
// Stands for the list of job tasks in an option's help; all() puts the names in (the list is not
// known while the tasks are being declared).
inline constexpr const char* kJobTaskNames = "{job tasks}";

// The job runner's quotas (jobs run-queue, serve --jobs), and the runner options from them.
std::vector<Option> runner_options();
jobs::RunnerOptions runner_options_from(const Values& values, const std::string& folder);

// "1,234,567" (KRW amounts in summaries); "n/a" for NaN.
std::string krw(double value);

}  // namespace playsight::tasks
