#pragma once
// The job endpoints of the service, over the JobRunner that `playsight serve --jobs FOLDER`
// hosts (jobs/runner.h). A job belongs to the name of the key that submitted it; a key sees,
// follows and cancels its own jobs only, an admin key every job. Another user's job answers 404,
// as a job that does not exist, so that ids reveal nothing.
//
//   GET    /v1/tasks           the tasks a job may run, with their declared options   predict
//   POST   /v1/jobs            {"task", "options": {...}, "memory": "512M", "cpu": "1",
//                               "wall": "30m", "processes": 64, "interactive": false,
//                               "idle": "10m"}; 201 with the job               predict
//                              ("arguments": [...] command-line words instead of "options")
//   GET    /v1/jobs            the caller's jobs (an admin's: all), newest first   predict
//   GET    /v1/jobs/{id}       one job: state, reason, limits, artifacts      predict
//   GET    /v1/jobs/{id}/log   its log as text from ?offset=N; the header X-Log-Next-Offset
//                              says where to go on from                        predict
//   DELETE /v1/jobs/{id}       cancel; 409 if it has finished                   predict
//
// Reading a job or its log counts as looking at it: an interactive job is culled only when
// nobody has for its idle time.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "jobs/runner.h"
#include "serve/routes.h"

namespace playsight::serve {

// What the service knows of the tasks, from the task layer (tasks/task.h): their catalog, and what
// turns a task's JSON options into its command-line arguments, checked against its declared
// options (throws InputError naming the option). Unset: jobs take "arguments" only.
struct JobTasks {
  nlohmann::json catalog = nlohmann::json::array();
  std::function<std::vector<std::string>(const std::string& task, const nlohmann::json& options)>
      arguments;
};

std::vector<Route> job_routes(jobs::JobRunner& runner, bool no_auth, const JobTasks& tasks);

}  // namespace playsight::serve
