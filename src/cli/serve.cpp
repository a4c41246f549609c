// playsight serve: the HTTP service (src/serve/), and `playsight serve keys add/list/remove` for
// its API keys. Parses flags, builds the Service, serves until SIGINT or SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <thread>

#include "access/api_keys.h"
#include "cli/commands.h"
#include "cli/job_options.h"
#include "core/error.h"
#include "serve/server.h"

namespace playsight::cli {
namespace {

struct ServeFlags {
  serve::ServiceOptions options;
  std::vector<std::string> served = {"spend:production"};
  std::string key_name;
  std::string role = "predict";
  int poll_ms = 500;
  double monitoring_interval_s = 10;
  double max_body_mb = 8;
  double max_header_kb = 64;
  double header_timeout_s = 10;
  double body_timeout_s = 30;
  double key_failure_window_s = 60;
  std::string jobs_folder;
  jobs::RunnerOptions runner;
  RunnerFlags runner_flags;
};

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

std::string keys_file_of(const ServeFlags& flags) {
  return flags.options.keys_file.empty() ? serve::default_keys_file() : flags.options.keys_file;
}

void run_serve(ServeFlags& flags) {
  serve::ServiceOptions& options = flags.options;
  options.models.served.clear();
  for (const std::string& text : flags.served) options.models.served.push_back(parse_served(text));
  options.models.poll_interval = std::chrono::milliseconds(std::max(10, flags.poll_ms));
  options.max_body_bytes = static_cast<std::size_t>(flags.max_body_mb * 1024 * 1024);
  options.max_header_bytes = static_cast<std::size_t>(flags.max_header_kb * 1024);
  options.header_timeout = milliseconds_of(flags.header_timeout_s);
  options.body_timeout = milliseconds_of(flags.body_timeout_s);
  options.key_failures.window = milliseconds_of(flags.key_failure_window_s);
  if (!flags.jobs_folder.empty()) {
    options.jobs = flags.runner;
    options.jobs->folder = flags.jobs_folder;
    apply_runner_flags(*options.jobs, flags.runner_flags);
  }
  options.monitoring_interval =
      std::max(std::chrono::milliseconds(100), milliseconds_of(flags.monitoring_interval_s));
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
                  status.alias.c_str(), status.last_error.c_str(), flags.poll_ms);
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
}

void report_migration(const serve::ApiKeys& keys, const std::string& file) {
  if (keys.migrated() > 0)
    std::fprintf(stderr, "salted %zu entries of %s that an older version wrote unsalted\n",
                 keys.migrated(), file.c_str());
}

void run_keys_add(const ServeFlags& flags) {
  const std::string file = keys_file_of(flags);
  serve::ApiKeys keys = serve::ApiKeys::load(file);
  const std::string key = keys.add(flags.key_name, serve::parse_role(flags.role));
  keys.save(file);
  std::printf("%s\n", key.c_str());
  std::fprintf(stderr,
               "added the key %s (role %s) to %s; it is shown only now: keep it (the file keeps "
               "a salted hash only)\n",
               flags.key_name.c_str(), flags.role.c_str(), file.c_str());
  report_migration(keys, file);
}

void run_keys_list(const ServeFlags& flags) {
  const std::string file = keys_file_of(flags);
  const serve::ApiKeys keys = serve::ApiKeys::load(file);
  if (keys.empty()) std::printf("no keys in %s\n", file.c_str());
  for (const serve::ApiKey& key : keys.keys())
    std::printf("%-24s %-8s %s  hash %s...\n", key.name.c_str(), serve::role_name(key.role).c_str(),
                key.created_at.c_str(), key.hash.substr(0, 12).c_str());
  if (keys.migrated() > 0)
    std::printf(
        "(%zu entries are in the unsalted form of older versions: the next `keys add` or "
        "`keys remove` rewrites them salted)\n",
        keys.migrated());
}

void run_keys_remove(const ServeFlags& flags) {
  const std::string file = keys_file_of(flags);
  serve::ApiKeys keys = serve::ApiKeys::load(file);
  if (!keys.remove(flags.key_name))
    throw InputError("no key named " + quote_for_message(flags.key_name) + " in " + file);
  keys.save(file);
  std::printf("removed the key %s from %s\n", flags.key_name.c_str(), file.c_str());
  report_migration(keys, file);
}

// The limits on slow, oversized and keyless requests (hostile or broken clients).
void add_client_limit_options(CLI::App* command, ServeFlags& flags) {
  const auto declare = [command](const char* name, auto& variable, const char* help) {
    command->add_option(name, variable, help)->capture_default_str();
  };
  declare("--max-header-kb", flags.max_header_kb,
          "a request's line and headers larger than this get 431");
  declare("--header-timeout", flags.header_timeout_s,
          "seconds for a request's line and headers to arrive, from its first byte (from the "
          "connection's opening for its first request); then 408 and the connection is closed");
  declare("--body-timeout", flags.body_timeout_s,
          "seconds for a request's body to arrive after its headers; then 408 and the connection "
          "is closed");
  declare("--max-connections", flags.options.max_connections,
          "client connections open at once; one more closes the one that has waited longest for "
          "its request");
  declare("--key-failures", flags.options.key_failures.failures,
          "requests with a missing or unknown API key per client address and window answered "
          "401; the address's further ones get 429 (0: no limit)");
  declare("--key-failure-window", flags.key_failure_window_s,
          "seconds of that window, from the address's first such request");
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  serve::ServiceOptions& options = flags->options;
  CLI::App* command = app.add_subcommand(
      "serve",
      "The HTTP service: batch spend predictions with the version behind an alias, registry "
      "operations, health, Prometheus metrics and drift monitoring (GET /openapi.json).");
  command->add_option("--model", flags->served,
                      "MODEL:ALIAS to serve; repeat for several (default spend:production)");
  command->add_option("--registry", options.models.registry.url,
                      "registry URL (default: $PLAYSIGHT_REGISTRY, else "
                      "sqlite://./playsight-registry/registry.db)");
  command->add_option("--store", options.models.registry.store_folder,
                      "the registry's artifact folder (as for `playsight models`)");
  command->add_option("--host", options.host, "address to listen on")->capture_default_str();
  command->add_option("--port", options.port, "port to listen on (0: any free one)")
      ->capture_default_str();
  command->add_option(
      "--keys", options.keys_file,
      "API keys file (default: $PLAYSIGHT_KEYS, else playsight-registry/keys.json)");
  command->add_flag("--no-auth", options.no_auth, "serve without API keys (local use only)");
  command
      ->add_option("--reference", options.models.reference_file,
                   "feature table of the training population (CSV), for drift monitoring")
      ->check(CLI::ExistingFile);
  command
      ->add_option("--reference-rows", options.models.reference_rows,
                   "rows of the reference table used (an even sample)")
      ->capture_default_str();
  command->add_option("--drift-warn", options.models.thresholds.warn, "PSI that warns")
      ->capture_default_str();
  command->add_option("--drift-threshold", options.models.thresholds.drift, "PSI that flags drift")
      ->capture_default_str();
  command
      ->add_option("--drift-min-players", options.models.thresholds.min_rows,
                   "players seen before drift is judged")
      ->capture_default_str();
  command
      ->add_option("--reports", options.reports_folder,
                   "folder whose report folders (effect, audience, playtest) the console shows")
      ->check(CLI::ExistingDirectory);
  command->add_option("--web", options.web_folder,
                      "the console's static files (default: web/ of the source tree)");
  command
      ->add_option("--monitoring-interval", flags->monitoring_interval_s,
                   "seconds per sample of the monitoring history (the console's charts)")
      ->capture_default_str();
  command
      ->add_option("--monitoring-samples", options.monitoring_samples,
                   "samples the monitoring history keeps")
      ->capture_default_str();
  command->add_option("--poll-ms", flags->poll_ms, "how often the aliases are read (ms)")
      ->capture_default_str();
  command
      ->add_option("--threads", options.http_threads,
                   "HTTP worker threads: requests served at once (a connection waiting for its "
                   "request holds none)")
      ->capture_default_str();
  command
      ->add_option("--model-threads", options.models.model_threads,
                   "XGBoost threads per prediction request")
      ->capture_default_str();
  command
      ->add_option("--max-body-mb", flags->max_body_mb,
                   "larger request bodies get 413, before they are read")
      ->capture_default_str();
  add_client_limit_options(command, *flags);
  command->add_option("--max-players", options.max_players, "players per prediction request")
      ->capture_default_str();

  command->add_option("--jobs", flags->jobs_folder,
                      "host the job runner of this folder and the /v1/jobs endpoints");
  add_runner_options(command, flags->runner, flags->runner_flags);

  CLI::App* keys = command->add_subcommand("keys", "API keys: add (printed once), list, remove.");
  keys->require_subcommand(1);
  const auto add_keys_flag = [&](CLI::App* sub) {
    sub->add_option("--keys", options.keys_file,
                    "API keys file (default: $PLAYSIGHT_KEYS, else playsight-registry/keys.json)");
  };
  CLI::App* add =
      keys->add_subcommand("add", "Add a key and print it (the only time it is shown).");
  add->add_option("NAME", flags->key_name, "who or what uses the key")->required();
  add->add_option("--role", flags->role, "predict, deploy or admin")->capture_default_str();
  add_keys_flag(add);
  add->callback([flags] { run_keys_add(*flags); });
  CLI::App* list = keys->add_subcommand("list", "The keys' names, roles and hash prefixes.");
  add_keys_flag(list);
  list->callback([flags] { run_keys_list(*flags); });
  CLI::App* remove = keys->add_subcommand("remove", "Remove a key.");
  remove->add_option("NAME", flags->key_name, "the key's name")->required();
  add_keys_flag(remove);
  remove->callback([flags] { run_keys_remove(*flags); });

  command->callback([flags, keys] {
    if (keys->parsed()) return;
    run_serve(*flags);
  });
}

}  // namespace playsight::cli
