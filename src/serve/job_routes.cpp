#include "serve/job_routes.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "http/http_error.h"

namespace playsight::serve {
namespace {

using json = nlohmann::json;

Reply json_reply(const json& body, int status = 200) {
  return {status, body.dump(), "application/json", {}};
}

// Who calls: the key's name and whether it is an admin's; without access control, the body's
// "user" (or "anonymous") acting as an admin.
struct Caller {
  std::string user;
  bool admin = false;
};

Caller caller_of(const RouteRequest& request, bool no_auth, const json& body = json::object()) {
  if (request.key) return {request.key->name, allows(request.key->role, Role::admin)};
  if (!no_auth) throw HttpError(401, "no API key");
  if (body.is_object() && body.contains("user") && !body["user"].is_string())
    throw HttpError(400, "user: expected the name of the user the job runs for");
  return {body.is_object() ? body.value("user", std::string("anonymous")) : "anonymous", true};
}

json job_json(const jobs::JobRecord& record) {
  json arguments = json::array();
  for (std::size_t i = 1; i < record.command.size(); ++i)
    if (i > 1 || record.command[i] != record.task) arguments.push_back(record.command[i]);
  json artifacts = json::array();
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(record.artifacts_folder(), error))
    artifacts.push_back(entry.path().filename().string());
  return {{"id", record.id},
          {"user", record.owner},
          {"task", record.task},
          {"arguments", arguments},
          {"limits",
           {{"memory", jobs::format_memory(record.limits.memory_bytes)},
            {"memory_bytes", record.limits.memory_bytes},
            {"cpu", record.limits.cpu_share},
            {"wall", jobs::format_duration(record.limits.wall_ms)},
            {"wall_ms", record.limits.wall_ms},
            {"processes", record.limits.processes}}},
          {"interactive", record.interactive},
          {"idle_ms", record.interactive ? json(record.idle_ms) : json()},
          {"state", jobs::state_name(record.state)},
          {"reason", record.reason},
          {"submitted_at", record.submitted_at},
          {"started_at", record.started_at},
          {"finished_at", record.finished_at},
          {"exit_code", record.exit_code ? json(*record.exit_code) : json()},
          {"isolation", record.isolation},
          {"log", "/v1/jobs/" + std::to_string(record.id) + "/log"},
          {"artifacts", artifacts}};
}

std::int64_t job_id(const RouteRequest& request) {
  const std::string& text = request.path.at("id");
  std::size_t used = 0;
  long long id = 0;
  try {
    id = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || id <= 0)
    throw HttpError(404, "no job " + quote_for_message(text) + ": job ids are positive numbers");
  return id;
}

// The job, if the caller may see it; 404 otherwise (someone else's job looks like none).
jobs::JobRecord visible_job(jobs::JobRunner& runner, const RouteRequest& request, bool no_auth) {
  const Caller caller = caller_of(request, no_auth);
  const std::int64_t id = job_id(request);
  std::optional<jobs::JobRecord> record = runner.find(id);
  if (!record || (record->owner != caller.user && !caller.admin))
    throw HttpError(404, "no job " + std::to_string(id) + " among the jobs of " +
                             quote_for_message(caller.user) +
                             " (a key sees its own jobs only; an admin key sees all)");
  if (record->owner == caller.user) runner.touch(id);
  return *record;
}

// A limit from the body: absent keeps the default; strings and numbers are parsed alike.
template <typename Parse>
void read_limit(const json& body, const char* name, Parse parse) {
  if (!body.contains(name)) return;
  const json& value = body[name];
  if (value.is_string())
    parse(value.get<std::string>());
  else if (value.is_number())
    parse(value.dump());
  else
    throw HttpError(400, std::string(name) + ": expected a string or a number");
}

jobs::JobRequest request_of(const json& body, const std::string& user, const JobTasks& tasks) {
  if (!body.is_object()) throw HttpError(400, "the body must be a JSON object");
  jobs::JobRequest request;
  request.owner = user;
  if (!body.contains("task") || !body["task"].is_string())
    throw HttpError(400, "task: expected the name of a playsight task, e.g. \"train\"");
  request.task = body["task"].get<std::string>();
  if (body.contains("options")) {
    if (body.contains("arguments"))
      throw HttpError(400, "options, arguments: give one of them, not both");
    if (!tasks.arguments) throw HttpError(400, "options: this service takes \"arguments\" only");
    request.arguments = tasks.arguments(request.task, body["options"]);
  } else if (body.contains("arguments")) {
    if (!body["arguments"].is_array())
      throw HttpError(400, "arguments: expected a list of strings");
    for (const json& argument : body["arguments"]) {
      if (!argument.is_string()) throw HttpError(400, "arguments: expected a list of strings");
      request.arguments.push_back(argument.get<std::string>());
    }
  }
  jobs::JobLimits& limits = request.limits;
  read_limit(body, "memory", [&](const std::string& text) {
    limits.memory_bytes = jobs::parse_memory(text, "memory");
  });
  read_limit(body, "cpu", [&](const std::string& text) {
    limits.cpu_share = jobs::parse_cpu_share(text, "cpu");
  });
  read_limit(body, "wall", [&](const std::string& text) {
    limits.wall_ms = jobs::parse_duration_ms(text, "wall");
  });
  read_limit(body, "processes", [&](const std::string& text) {
    limits.processes = jobs::parse_processes(text, "processes");
  });
  read_limit(body, "idle", [&](const std::string& text) {
    request.idle_ms = jobs::parse_duration_ms(text, "idle");
  });
  if (body.contains("interactive") && !body["interactive"].is_boolean())
    throw HttpError(400, "interactive: expected true or false");
  request.interactive = body.value("interactive", false);
  return request;
}

}  // namespace

std::vector<Route> job_routes(jobs::JobRunner& runner, bool no_auth, const JobTasks& tasks) {
  return {
      {"GET",
       "/v1/tasks",
       Access::predict,
       "The tasks a job may run, each with its options as the command line declares them.",
       "",
       {},
       [&tasks](const RouteRequest&) {
         return json_reply({{"tasks", tasks.catalog}});
       }},
      {"POST",
       "/v1/jobs",
       Access::predict,
       "Submit a playsight task as a job of the caller, with limits.",
       "{\"task\", \"options\" (or \"arguments\"), \"memory\", \"cpu\", \"wall\", "
       "\"processes\", \"interactive\", \"idle\"}",
       {201, 400},
       [&runner, no_auth, &tasks](const RouteRequest& request) {
         const json body = json::parse(request.body, nullptr, false);
         if (body.is_discarded()) throw HttpError(400, "the body is not JSON");
         const Caller caller = caller_of(request, no_auth, body);
         return json_reply(job_json(runner.submit(request_of(body, caller.user, tasks))), 201);
       }},
      {"GET",
       "/v1/jobs",
       Access::predict,
       "The caller's jobs (an admin's: every job), newest first.",
       "",
       {},
       [&runner, no_auth](const RouteRequest& request) {
         const Caller caller = caller_of(request, no_auth);
         json out = json::array();
         for (const jobs::JobRecord& record :
              runner.list(caller.admin ? std::nullopt : std::optional(caller.user)))
           out.push_back(job_json(record));
         return json_reply({{"jobs", out}});
       }},
      {"GET",
       "/v1/jobs/{id}",
       Access::predict,
       "One job: its state and why, limits, times and artifacts.",
       "",
       {404},
       [&runner, no_auth](const RouteRequest& request) {
         return json_reply(job_json(visible_job(runner, request, no_auth)));
       }},
      {"GET",
       "/v1/jobs/{id}/log",
       Access::predict,
       "The job's log (stdout, stderr and the supervisor's lines) from ?offset=N on.",
       "",
       {404},
       [&runner, no_auth](const RouteRequest& request) {
         const jobs::JobRecord record = visible_job(runner, request, no_auth);
         std::uint64_t offset = 0;
         if (auto it = request.query.find("offset"); it != request.query.end()) {
           try {
             offset = std::stoull(it->second);
           } catch (const std::exception&) {
             throw HttpError(
                 400, "offset " + quote_for_message(it->second) + ": expected a byte offset");
           }
         }
         std::string text = runner.log(record.id, offset);
         const std::string next = std::to_string(offset + text.size());
         return Reply{
             200,
             std::move(text),
             "text/plain; charset=utf-8",
             {{"X-Log-Next-Offset", next}, {"X-Job-State", jobs::state_name(record.state)}}};
       }},
      {"DELETE",
       "/v1/jobs/{id}",
       Access::predict,
       "Cancel the job: it is killed (or never started) with the reason \"cancelled by USER\".",
       "",
       {404, 409},
       [&runner, no_auth](const RouteRequest& request) {
         const jobs::JobRecord record = visible_job(runner, request, no_auth);
         if (!runner.cancel(record.id, caller_of(request, no_auth).user))
           throw HttpError(409, "job " + std::to_string(record.id) + " has already finished (" +
                                    jobs::state_name(runner.find(record.id)->state) + ")");
         return json_reply(job_json(*runner.find(record.id)));
       }},
  };
}

}  // namespace playsight::serve
