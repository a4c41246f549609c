#pragma once
// What the service and the job runner know of the tasks, built from the declarations: the report
// files the console lists, the jobs API's catalog and option checks, the runner's task commands.
// `playsight serve` and `jobs run-queue` use these; so do the tests that start a service.
#include <functional>
#include <string>
#include <vector>

#include "serve/job_routes.h"
#include "serve/reports.h"

namespace playsight::tasks {

// The tasks' outputs that have a kind (effect.json, summary.json, session.json) and the stream
// file (seconds.jsonl) a running analysis writes.
serve::ReportFormats report_formats();
// GET /v1/tasks and the JSON options of POST /v1/jobs, checked against the declarations.
serve::JobTasks job_tasks();
// jobs::RunnerOptions::task_command: a task's checked command-line words.
std::function<std::vector<std::string>(const std::string&, const std::vector<std::string>&)>
runner_task_command();

}  // namespace playsight::tasks
