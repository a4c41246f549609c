#pragma once
// The playsight tasks a user may submit as a job through the CLI and the service: each is a
// playsight subcommand, run as `playsight TASK ARGUMENTS...` in the job's artifacts folder (so
// relative output paths land among the job's artifacts). The library's JobRunner also takes any
// command (tests use that for hostile programs); users never reach it.
#include <string>
#include <vector>

namespace playsight::jobs {

// train, compare, effect, audience, playtest, geo, features, generate.
const std::vector<std::string>& known_tasks();
// Throws InputError "unknown task 'x'; known: train, compare, ..." for anything else.
void check_task(const std::string& task);
// {binary, task, arguments...} after check_task().
std::vector<std::string> task_command(const std::string& playsight_binary, const std::string& task,
                                      const std::vector<std::string>& arguments);

}  // namespace playsight::jobs
