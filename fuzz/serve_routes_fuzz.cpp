// The service's route table (serve::api_routes), handler by handler, as the server calls them but
// without HTTP: a real ServiceState over a SQLite registry (on the scratch folder) with two small
// models trained at start-up (spend versions 1 and 2, production at 1, a drift reference) and a
// job runner that queues jobs but never starts them; the jobs API checks a job's task and options
// against the task declarations, as the real service does.
//
// Input: byte 0 picks the route (every route of the table, POST and DELETE and GET alike), byte 1
// the caller (bits 0-1: no key, a predict, deploy or admin key; bit 2: access control off) and the
// path's values (bits 3-5: the served model and alias, another alias, an unknown model, odd
// segments), and the rest is the body (for GET routes also the query's `after` and `offset`).
// A handler may refuse only with an HttpError of a 4xx status or an InputError (a 400); any other
// exception (the server's 500) or a reply of status 500 or more is a finding, and so is a deploy
// that moves the alias to another version than the body's.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_support.h"
#include "http/http_error.h"
#include "jobs/runner.h"
#include "registry/registry.h"
#include "serve/api.h"
#include "spend/models/training.h"
#include "tasks/wiring.h"

namespace playsight::fuzz {
namespace {

// A table of players with three features and a label, for the models and the drift reference.
Table training_table() {
  Table table;
  table.key_name = "player_id";
  std::vector<double> spend_30d, active_7d, age, label;
  for (int p = 0; p < 300; ++p) {
    table.keys.push_back("p" + std::to_string(p));
    spend_30d.push_back(p % 7 == 0 ? 1000.0 * (p % 13) : 0.0);
    active_7d.push_back(p % 8);
    age.push_back(18 + p % 40);
    label.push_back(p % 5 == 0 ? 500.0 * (p % 11) + spend_30d.back() : 0.0);
  }
  table.add_column("topup_amount_last_30d", spend_30d);
  table.add_column("active_days_last_7d", active_7d);
  table.add_column("age", age);
  table.add_column("topup_amount_next_30d", label);
  return table;
}

std::string train(const Table& table, const std::string& alias) {
  spend::ProtocolOptions protocol;
  protocol.control_only = false;
  const spend::DataSplit split = spend::split_players(table, protocol);
  spend::ModelOptions options;
  options.threads = 1;
  options.max_rounds = 20;
  spend::EvaluatedModel model = spend::train_and_evaluate(alias, table, split, options);
  const std::string folder = scratch().path("models/" + alias);
  spend::save_model_artifact(model.artifact, folder);
  return folder;
}

// Everything a ServiceState refers to. Rebuilt now and then so that queued jobs do not pile up.
struct Service {
  static constexpr int kJobsBeforeRebuild = 200;

  explicit Service(const std::string& registry_url, const std::string& reference, bool no_auth,
                   int generation)
      : models([&] {
          serve::LiveModelsOptions options;
          options.registry = {registry_url, scratch().path("store")};
          options.served = {{"spend", "production"}};
          options.reference_file = reference;
          return options;
        }()),
        runner([&] {
          jobs::RunnerOptions options;
          options.folder = scratch().path("jobs-" + std::to_string(generation));
          options.playsight_binary = "/bin/false";
          options.isolation = jobs::IsolationKind::rlimits;
          options.task_command = tasks::runner_task_command();  // the declarations' checks
          return options;
        }()),
        state{.models = models,
              .keys = keys,
              .requests = requests,
              .players_predicted = players_predicted,
              .max_players = 50,
              .reports = reports,
              .history = history,
              .jobs = &runner,
              .job_tasks = &job_tasks,
              .no_auth = no_auth,
              .write_server_metrics = {}} {
    models.refresh();
    if (!models.ready()) finding("the service's model did not load");
    routes = serve::api_routes(state);
  }

  serve::LiveModels models;
  access::ApiKeys keys;
  monitoring::RequestMetrics requests;
  monitoring::CounterFamily players_predicted;
  serve::ReportLibrary reports{"", {}};
  monitoring::MonitoringHistory history{60.0, 10};
  jobs::JobRunner runner;
  serve::JobTasks job_tasks = tasks::job_tasks();  // "options" checked against the declarations
  serve::ServiceState state;
  std::vector<serve::Route> routes;
  int jobs_submitted = 0;
};

struct Fixture {
  Fixture() {
    const Table table = training_table();
    write_table_csv(table, scratch().path("reference.csv"), {});
    registry_url = "sqlite://" + scratch().path("registry/registry.db");
    registry::ModelRegistry registry({registry_url, scratch().path("store")});
    registry.register_version({train(table, "bin_mse_model"), "spend", "", {"fuzz", ""}});
    registry.register_version({train(table, "mse_model"), "spend", "", {"fuzz", ""}});
    registry.deploy("spend", 1, "production", {"fuzz", ""});
    rebuild();
  }

  void rebuild() {
    ++generation;
    std::filesystem::remove_all(scratch().path("jobs-" + std::to_string(generation - 1)));
    for (int no_auth = 0; no_auth < 2; ++no_auth)
      services[no_auth] = std::make_unique<Service>(registry_url, scratch().path("reference.csv"),
                                                    no_auth == 1, generation);
  }

  std::string registry_url;
  int generation = 0;
  std::unique_ptr<Service> services[2];
};

// Never destroyed: at exit XGBoost's own statics may be gone before a static fixture's boosters
// would be freed (ASan reports that as a double free inside libxgboost).
Fixture& fixture() {
  static Fixture* const instance = new Fixture;
  return *instance;
}

access::ApiKey key_of(unsigned choice) {
  access::ApiKey key;
  key.name = choice == 1 ? "reader" : choice == 2 ? "deployer" : "admin";
  key.role = choice == 1   ? access::Role::predict
             : choice == 2 ? access::Role::deploy
                           : access::Role::admin;
  return key;
}

// The values of the path's {name}s.
std::map<std::string, std::string> path_of(const serve::Route& route, unsigned choice) {
  static const char* const kModels[] = {"spend", "spend",    "spend", "churn",
                                        "..",    "spend%00", "%",     "spend"};
  static const char* const kAliases[] = {"production", "staging",    "production", "production",
                                         "production", "production", "a",          "x\ny"};
  static const char* const kIds[] = {"1", "2", "0", "-1", "99999999999999999999", "1e3", "x", ""};
  std::map<std::string, std::string> path;
  if (route.path.find("{name}") != std::string::npos) path["name"] = kModels[choice];
  if (route.path.find("{alias}") != std::string::npos) path["alias"] = kAliases[choice];
  if (route.path.find("{id}") != std::string::npos) path["id"] = kIds[choice];
  return path;
}

void call(const std::uint8_t* data, std::size_t size) {
  Fixture& f = fixture();
  const unsigned caller = size > 1 ? data[1] : 0;
  Service& service = *f.services[(caller >> 2) & 1];
  const serve::Route& route = service.routes[data[0] % service.routes.size()];
  if (!route.handler) return;
  serve::RouteRequest request;
  request.path = path_of(route, (caller >> 3) & 7);
  if ((caller & 3) != 0) request.key = key_of(caller & 3);
  if (size > 2) request.body.assign(reinterpret_cast<const char*>(data) + 2, size - 2);
  if (route.method == "GET") request.query = {{"after", request.body}, {"offset", request.body}};
  const std::string where = route.method + " " + route.path;
  try {
    const serve::Reply reply = route.handler(request);
    require(reply.status < 500 || route.path == "/readyz",
            where + " answered " + std::to_string(reply.status) + ": " + reply.body);
    if (route.path.ends_with("/deploy"))  // the alias moved to the version asked for
      require(nlohmann::json::parse(reply.body).at("to_version") ==
                  nlohmann::json::parse(request.body).at("version"),
              where + " deployed another version than asked: " + reply.body);
    if (route.method == "POST" && route.path == "/v1/jobs" &&
        ++service.jobs_submitted >= Service::kJobsBeforeRebuild)
      f.rebuild();
  } catch (const http::HttpError& error) {
    require(error.status() >= 400 && error.status() < 500,
            where + " refused with status " + std::to_string(error.status()) + ": " + error.what());
  } catch (const InputError&) {
  } catch (...) {
    finding(where + ": an exception the server answers with 500: " + current_exception_text());
  }
}

}  // namespace
}  // namespace playsight::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  playsight::fuzz::fixture();  // trains the models before the first input's clock starts
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  playsight::fuzz::call(data, size);
  return 0;
}
