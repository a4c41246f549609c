// playsight serve: the HTTP service (src/serve/), and `playsight serve keys add/list/remove` for
// its API keys. Builds the Service from the options, serves until SIGINT or SIGTERM. What the
// service knows of the tasks (the jobs API's catalog and option checks, the report files the
// console shows) comes from the task declarations here.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "access/api_keys.h"
#include "core/error.h"
#include "serve/server.h"
#include "tasks/catalog.h"
#include "tasks/wiring.h"

namespace playsight::tasks {
namespace {

std::pair<std::string, std::string> parse_served(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw InputError("--model " + quote_for_message(text) +
                     ": expected MODEL:ALIAS, e.g. spend:production");
  return {text.substr(0, colon), text.substr(colon + 1)};
}

// A flag's seconds as a duration, at least 1 ms.
std::chrono::milliseconds milliseconds_of(double seconds) {
  return std::chrono::milliseconds(std::max(1L, std::lround(seconds * 1000)));
}

std::string keys_file_of(const Values& values) {
  const std::string& file = values.text("keys");
  return file.empty() ? access::default_keys_file() : file;
}

serve::ServiceOptions service_options(const Values& values) {
  serve::ServiceOptions options;
  for (const std::string& text : values.list("model"))
    options.models.served.push_back(parse_served(text));
  options.models.registry.url = values.text("registry");
  options.models.registry.store_folder = values.text("store");
  options.host = values.text("host");
  options.port = static_cast<int>(values.integer("port"));
  options.keys_file = values.text("keys");
  options.no_auth = values.flag("no-auth");
  options.models.reference_file = values.text("reference");
  options.models.reference_rows = static_cast<std::size_t>(values.integer("reference-rows"));
  options.models.thresholds.warn = values.number("drift-warn");
  options.models.thresholds.drift = values.number("drift-threshold");
  options.models.thresholds.min_rows =
      static_cast<std::size_t>(values.integer("drift-min-players"));
  options.reports_folder = values.text("reports");
  std::error_code error;
  if (!options.reports_folder.empty() &&
      !std::filesystem::is_directory(options.reports_folder, error))
    throw InputError("--reports: " + options.reports_folder + ": no such folder");
  if (!options.models.reference_file.empty() &&
      !std::filesystem::is_regular_file(options.models.reference_file, error))
    throw InputError("--reference: " + options.models.reference_file + ": no such file");
  options.report_formats = report_formats();
  options.web_folder = values.text("web");
  options.monitoring_samples = static_cast<std::size_t>(values.integer("monitoring-samples"));
  options.http_threads = values.count("threads");
  options.models.model_threads = values.count("model-threads");
  options.max_players = static_cast<std::size_t>(values.integer("max-players"));
  options.models.poll_interval =
      std::chrono::milliseconds(std::max<long long>(10, values.integer("poll-ms")));
  options.max_body_bytes = static_cast<std::size_t>(values.number("max-body-mb") * 1024 * 1024);
  options.max_header_bytes = static_cast<std::size_t>(values.number("max-header-kb") * 1024);
  options.header_timeout = milliseconds_of(values.number("header-timeout"));
  options.body_timeout = milliseconds_of(values.number("body-timeout"));
  options.max_connections = static_cast<std::size_t>(values.integer("max-connections"));
  options.key_failures.failures = static_cast<std::size_t>(values.integer("key-failures"));
  options.key_failures.window = milliseconds_of(values.number("key-failure-window"));
  options.monitoring_interval = std::max(std::chrono::milliseconds(100),
                                         milliseconds_of(values.number("monitoring-interval")));
  if (values.has("jobs")) {
    options.jobs = runner_options_from(values, values.text("jobs"));
    options.job_tasks = job_tasks();
  }
  return options;
}

Result run_serve(const Values& values, Progress&) {
  const serve::ServiceOptions options = service_options(values);
  // SIGINT and SIGTERM are taken by a thread that stops the server; block them everywhere else
  // (threads started from here on inherit the mask).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  serve::Service service(options);
  const int port = service.bind();
  for (const serve::SlotStatus& status : service.models().status()) {
    if (status.snapshot)
      std::printf("serving %s/%s version %d (%s)\n", status.model.c_str(), status.alias.c_str(),
                  status.snapshot->version, status.snapshot->content_hash.substr(0, 12).c_str());
    else
      std::printf("not ready: %s/%s: %s (retrying every %d ms)\n", status.model.c_str(),
                  status.alias.c_str(), status.last_error.c_str(),
                  static_cast<int>(options.models.poll_interval.count()));
  }
  if (service.jobs())
    std::printf("jobs: %s, isolated with %s\n", options.jobs->folder.c_str(),
                jobs::isolation_name(service.jobs()->isolation()).c_str());
  if (options.no_auth) std::printf("warning: --no-auth: every request is allowed\n");
  std::printf("playsight serve: listening on http://%s:%d\n", options.host.c_str(), port);
  const std::string web =
      options.web_folder.empty() ? serve::default_web_folder() : options.web_folder;
  if (web.empty())
    std::printf("no web console: web/ of the source tree is gone (pass --web DIR)\n");
  else
    std::printf("web console: http://%s:%d/console/\n", options.host.c_str(), port);
  std::fflush(stdout);
  std::thread signal_waiter([&service, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    service.stop();
  });
  service.run();
  // run() also returns if the server failed; wake the waiter either way.
  ::kill(::getpid(), SIGTERM);
  signal_waiter.join();
  std::printf("playsight serve: stopped\n");
  return {};
}

void report_migration(const access::ApiKeys& keys, const std::string& file) {
  if (keys.migrated() > 0)
    std::fprintf(stderr, "salted %zu entries of %s that an older version wrote unsalted\n",
                 keys.migrated(), file.c_str());
}

Result run_keys_add(const Values& values, Progress&) {
  const std::string file = keys_file_of(values);
  const std::string& name = values.text("NAME");
  const std::string& role = values.text("role");
  access::ApiKeys keys = access::ApiKeys::load(file);
  const std::string key = keys.add(name, access::parse_role(role));
  keys.save(file);
  std::printf("%s\n", key.c_str());
  std::fprintf(stderr,
               "added the key %s (role %s) to %s; it is shown only now: keep it (the file keeps "
               "a salted hash only)\n",
               name.c_str(), role.c_str(), file.c_str());
  report_migration(keys, file);
  return {};
}

Result run_keys_list(const Values& values, Progress&) {
  const std::string file = keys_file_of(values);
  const access::ApiKeys keys = access::ApiKeys::load(file);
  if (keys.empty()) std::printf("no keys in %s\n", file.c_str());
  for (const access::ApiKey& key : keys.keys())
    std::printf("%-24s %-8s %s  hash %s...\n", key.name.c_str(),
                access::role_name(key.role).c_str(), key.created_at.c_str(),
                key.hash.substr(0, 12).c_str());
  if (keys.migrated() > 0)
    std::printf(
        "(%zu entries are in the unsalted form of older versions: the next `keys add` or "
        "`keys remove` rewrites them salted)\n",
        keys.migrated());
  return {};
}

Result run_keys_remove(const Values& values, Progress&) {
  const std::string file = keys_file_of(values);
  const std::string& name = values.text("NAME");
  access::ApiKeys keys = access::ApiKeys::load(file);
  if (!keys.remove(name))
    throw InputError("no key named " + quote_for_message(name) + " in " + file);
  keys.save(file);
  std::printf("removed the key %s from %s\n", name.c_str(), file.c_str());
  report_migration(keys, file);
  return {};
}

}  // namespace

std::vector<Task> serve_tasks() {
  const serve::ServiceOptions defaults;
  const auto keys = [] {
    return Option::path(
        "keys", "API keys file (default: $PLAYSIGHT_KEYS, else playsight-registry/keys.json)");
  };
  std::vector<Option> options = {
      Option::list("model", "MODEL:ALIAS to serve; repeat for several", "spend:production"),
      Option::text("registry",
                   "registry URL (default: $PLAYSIGHT_REGISTRY, else "
                   "sqlite://./playsight-registry/registry.db)"),
      Option::path("store", "the registry's artifact folder (as for `playsight models`)"),
      Option::text("host", "address to listen on", defaults.host),
      Option::integer("port", "port to listen on (0: any free one)", defaults.port),
      keys(),
      Option::flag("no-auth", "serve without API keys (local use only)"),
      Option::path("reference",
                   "feature table of the training population (CSV), for drift monitoring"),
      Option::integer("reference-rows", "rows of the reference table used (an even sample)",
                      static_cast<long long>(defaults.models.reference_rows)),
      Option::number("drift-warn", "PSI that warns", defaults.models.thresholds.warn),
      Option::number("drift-threshold", "PSI that flags drift", defaults.models.thresholds.drift),
      Option::integer("drift-min-players", "players seen before drift is judged",
                      static_cast<long long>(defaults.models.thresholds.min_rows)),
      Option::path("reports",
                   "folder whose report folders (effect, audience, playtest) the console shows"),
      Option::path("web", "the console's static files (default: web/ of the source tree)"),
      Option::number("monitoring-interval",
                     "time per sample of the monitoring history (the "
                     "console's charts)",
                     std::chrono::duration<double>(defaults.monitoring_interval).count())
          .in_unit("s"),
      Option::integer("monitoring-samples", "samples the monitoring history keeps",
                      static_cast<long long>(defaults.monitoring_samples)),
      Option::integer("poll-ms", "how often the aliases are read",
                      static_cast<long long>(defaults.models.poll_interval.count()))
          .in_unit("ms"),
      Option::integer("threads",
                      "HTTP worker threads: requests served at once (a connection waiting for its "
                      "request holds none)",
                      defaults.http_threads)
          .at_least(1),
      Option::integer("model-threads", "XGBoost threads per prediction request",
                      defaults.models.model_threads),
      Option::number("max-body-mb", "larger request bodies get 413, before they are read",
                     static_cast<double>(defaults.max_body_bytes) / (1024 * 1024))
          .in_unit("MB"),
      Option::number("max-header-kb", "a request's line and headers larger than this get 431",
                     static_cast<double>(defaults.max_header_bytes) / 1024)
          .in_unit("kB"),
      Option::number("header-timeout",
                     "time for a request's line and headers to arrive, from its first byte (from "
                     "the connection's opening for its first request); then 408 and the "
                     "connection is closed",
                     std::chrono::duration<double>(defaults.header_timeout).count())
          .in_unit("s"),
      Option::number("body-timeout",
                     "time for a request's body to arrive after its headers; then 408 and the "
                     "connection is closed",
                     std::chrono::duration<double>(defaults.body_timeout).count())
          .in_unit("s"),
      Option::integer("max-connections",
                      "client connections open at once; one more closes the one that has waited "
                      "longest for its request",
                      static_cast<long long>(defaults.max_connections)),
      Option::integer("key-failures",
                      "requests with a missing or unknown API key per client address and window "
                      "answered 401; the address's further ones get 429 (0: no limit)",
                      static_cast<long long>(defaults.key_failures.failures)),
      Option::number("key-failure-window",
                     "length of that window, from the address's first such request",
                     std::chrono::duration<double>(defaults.key_failures.window).count())
          .in_unit("s"),
      Option::integer("max-players", "players per prediction request",
                      static_cast<long long>(defaults.max_players)),
      Option::path("jobs", "host the job runner of this folder and the /v1/jobs endpoints"),
  };
  for (Option& option : runner_options()) options.push_back(std::move(option));
  return {
      {.name = "serve",
       .part = "serve",
       .summary = "The HTTP service: batch spend predictions with the version behind an alias, "
                  "registry operations, health, Prometheus metrics and drift monitoring (GET "
                  "/openapi.json).",
       .options = std::move(options),
       .run = run_serve,
       .examples = {{"playsight serve --registry demo-output/registry/registry.db --reports "
                     "demo-output --port 8080",
                     "the demo's production model and its console at "
                     "http://127.0.0.1:8080/console/"}}},
      {.name = "serve keys add",
       .part = "serve",
       .summary = "Add a key and print it (the only time it is shown).",
       .options = {Option::text("NAME", "who or what uses the key").needed(),
                   Option::choice("role", "what the key may do", {"predict", "deploy", "admin"},
                                  "predict"),
                   keys()},
       .run = run_keys_add},
      {.name = "serve keys list",
       .part = "serve",
       .summary = "The keys' names, roles and hash prefixes.",
       .options = {keys()},
       .run = run_keys_list},
      {.name = "serve keys remove",
       .part = "serve",
       .summary = "Remove a key.",
       .options = {Option::text("NAME", "the key's name").needed(), keys()},
       .run = run_keys_remove},
  };
}

serve::ReportFormats report_formats() {
  serve::ReportFormats formats;
  for (const Task& task : all())
    for (const Output& output : task.outputs) {
      if (!output.schema.empty()) formats.reports.push_back({output.file, output.schema});
      if (output.name == "seconds") formats.stream_file = output.file;
    }
  return formats;
}

serve::JobTasks job_tasks() {
  serve::JobTasks tasks;
  tasks.catalog = catalog(true);
  tasks.arguments = [](const std::string& task, const nlohmann::json& json) {
    std::vector<std::string> words = job_command(task, json);
    const auto name_words = std::count(task.begin(), task.end(), ' ') + 1;
    words.erase(words.begin(), words.begin() + name_words);
    return words;
  };
  return tasks;
}

std::function<std::vector<std::string>(const std::string&, const std::vector<std::string>&)>
runner_task_command() {
  return [](const std::string& task, const std::vector<std::string>& arguments) {
    return job_command(task, arguments);
  };
}

}  // namespace playsight::tasks
