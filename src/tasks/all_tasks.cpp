// Every task, in the order `playsight --help` lists them, and what is built from the whole set:
// lookup by name, the parts, the jobs API's catalog.
#include <algorithm>

#include "core/error.h"
#include "tasks/catalog.h"

namespace playsight::tasks {

const std::vector<Task>& all() {
  static const std::vector<Task> tasks = [] {
    std::vector<Task> list;
    for (auto* declare :
         {generate_tasks, features_tasks, train_tasks, compare_tasks, effect_tasks, models_tasks,
          geo_tasks, vision_tasks, serve_tasks, jobs_tasks, help_tasks}) {
      for (Task& task : declare()) {
        task.options.push_back(shared::progress());
        list.push_back(std::move(task));
      }
    }
    std::string names;
    for (const Task& task : list)
      if (task.job) names += (names.empty() ? "" : ", ") + task.name;
    for (Task& task : list)
      for (Option& option : task.options)
        if (const auto at = option.help.find(kJobTaskNames); at != std::string::npos)
          option.help.replace(at, std::string(kJobTaskNames).size(), names);
    return list;
  }();
  return tasks;
}

const std::vector<Group>& groups() {
  static const std::vector<Group> list = {
      {"models",
       "The model registry: register model folders as versions, deploy them to aliases "
       "(production, staging, ...), roll back, and read the audit log."},
      {"geo", "Where should the billboards go, and did they work?"},
      {"vision", "Vision runtime tools: compare detectors, list and time the models."},
      {"serve keys", "API keys: add (printed once), list, remove."},
      {"jobs",
       "Heavy playsight tasks as jobs with limits (memory, CPU, wall time, processes), queued "
       "with per-user quotas, supervised by `playsight serve --jobs` or `jobs run-queue`."},
  };
  return list;
}

const Task* find(const std::string& name) {
  for (const Task& task : all())
    if (task.name == name) return &task;
  return nullptr;
}

std::vector<std::string> parts() {
  std::vector<std::string> names;
  for (const Task& task : all())
    if (std::find(names.begin(), names.end(), task.part) == names.end()) names.push_back(task.part);
  return names;
}

nlohmann::json catalog(bool jobs_only) {
  using json = nlohmann::json;
  json tasks = json::array();
  for (const Task& task : all()) {
    if (jobs_only && !task.job) continue;
    json options = json::array();
    for (const Option& option : task.options) {
      json entry = {{"name", json_name(option)},
                    {"flag", option.flag_text()},
                    {"type", option.type == Type::kFlag ? "FLAG" : type_name(option.type)},
                    {"help", option.help},
                    {"required", option.required}};
      if (!option.default_value.empty()) entry["default"] = option.default_value;
      if (!option.unit.empty()) entry["unit"] = option.unit;
      if (!option.choices.empty()) entry["choices"] = option.choices;
      if (option.minimum) entry["minimum"] = *option.minimum;
      if (option.maximum) entry["maximum"] = *option.maximum;
      options.push_back(std::move(entry));
    }
    json outputs = json::array();
    for (const Output& output : task.outputs)
      outputs.push_back({{"name", output.name},
                         {"file", output.file},
                         {"schema", output.schema},
                         {"help", output.help}});
    tasks.push_back({{"name", task.name},
                     {"part", task.part},
                     {"summary", task.summary},
                     {"job", task.job},
                     {"options", std::move(options)},
                     {"outputs", std::move(outputs)}});
  }
  return tasks;
}

namespace {

const Task& job_task(const std::string& name) {
  const Task* task = find(name);
  if (!task || !task->job)
    throw InputError("unknown task " + quote_for_message(name) + "; known: " + job_task_names());
  return *task;
}

}  // namespace

std::string job_task_names() {
  std::string names;
  for (const Task& task : all())
    if (task.job) names += (names.empty() ? "" : ", ") + task.name;
  return names;
}

std::vector<std::string> job_command(const std::string& task,
                                     const std::vector<std::string>& arguments) {
  const Task& declared = job_task(task);
  return command_line(declared, values_from_arguments(declared, arguments));
}

std::vector<std::string> job_command(const std::string& task, const nlohmann::json& options) {
  const Task& declared = job_task(task);
  return command_line(declared, values_from_json(declared, options));
}

}  // namespace playsight::tasks
