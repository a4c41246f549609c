#include "jobs/tasks.h"

#include <algorithm>

#include "core/error.h"

namespace playsight::jobs {

const std::vector<std::string>& known_tasks() {
  static const std::vector<std::string> tasks = {"train",    "compare", "effect",   "audience",
                                                 "playtest", "geo",     "features", "generate"};
  return tasks;
}

void check_task(const std::string& task) {
  const std::vector<std::string>& tasks = known_tasks();
  if (std::find(tasks.begin(), tasks.end(), task) != tasks.end()) return;
  std::string known;
  for (const std::string& name : tasks) known += (known.empty() ? "" : ", ") + name;
  throw InputError("unknown task " + quote_for_message(task) + "; known: " + known);
}

std::vector<std::string> task_command(const std::string& playsight_binary, const std::string& task,
                                      const std::vector<std::string>& arguments) {
  check_task(task);
  std::vector<std::string> command = {playsight_binary, task};
  command.insert(command.end(), arguments.begin(), arguments.end());
  return command;
}

}  // namespace playsight::jobs
