#pragma once
// The service's endpoints (the route table of routes.h with its handlers). Each handler is thin:
// it reads the path and body, calls LiveModels, the registry or a monitor once, and formats JSON.
//
//   GET  /healthz                                       live (the process answers)
//   GET  /readyz                                        ready: every served alias has a version
//   GET  /metrics                                       Prometheus text (monitoring/metrics.h)
//   GET  /openapi.json                                  this table as OpenAPI 3 (openapi.h)
//   GET  /v1/models                                     the registry's models          predict
//   GET  /v1/models/{name}                              versions and aliases           predict
//   GET  /v1/models/{name}/history                      the audit log                  predict
//   GET  /v1/models/{name}/aliases/{alias}              the version served, features   predict
//   POST /v1/models/{name}/aliases/{alias}/predict      predictions                    predict
//   POST /v1/models/{name}/aliases/{alias}/deploy       {"version": N, "comment"}      deploy
//   POST /v1/models/{name}/aliases/{alias}/rollback     {"comment"} (optional)         deploy
//   GET  /v1/monitoring                                 drift per served alias         predict
//   POST /v1/monitoring/reset                           start drift counts afresh      admin
//   GET  /v1/keys                                       key names and roles            admin
//   /v1/jobs...                                         with --jobs: job_routes.h
//
// and the console's (console_routes.cpp):
//
//   GET  /                                              redirects to the console /console/
//   GET  /v1/whoami                                     the caller's key name and role predict
//   GET  /v1/monitoring/history                         per-interval samples           predict
//   GET  /v1/reports                                    report folders (reports.h)     predict
//   GET  /v1/reports/{id}                               a report's JSON                predict
//   GET  /v1/reports/{id}/seconds?after=N               its seconds.jsonl from line N  predict
//
// Predictions and the alias endpoint answer with the headers X-Model-Name, X-Model-Alias,
// X-Model-Version and X-Model-Content-Hash of the version that computed them.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "access/api_keys.h"
#include "jobs/runner.h"
#include "monitoring/history.h"
#include "monitoring/metrics.h"
#include "serve/job_routes.h"
#include "serve/live_models.h"
#include "serve/reports.h"
#include "serve/routes.h"

namespace playsight::serve {

struct ServiceState {
  LiveModels& models;
  const access::ApiKeys& keys;
  monitoring::RequestMetrics& requests;
  monitoring::CounterFamily& players_predicted;  // by model, alias, version
  std::size_t max_players;
  const ReportLibrary& reports;
  const monitoring::MonitoringHistory& history;
  jobs::JobRunner* jobs = nullptr;  // the job endpoints (job_routes.h) when set
  const JobTasks* job_tasks = nullptr;
  bool no_auth = false;
  // Appends the HTTP server's own families (connections, key refusals) to /metrics, if set.
  std::function<void(std::string& out)> write_server_metrics;
};

std::vector<Route> api_routes(ServiceState& state);
// The routes the web console needs besides the API's (api_routes() includes them).
std::vector<Route> console_routes(ServiceState& state);
// The drift monitors' readings now, one per served alias (for the monitoring history).
std::vector<monitoring::DriftSample> drift_samples(const LiveModels& models);

// /metrics: the request families, the server's (write_server_metrics), then the models' and the
// drift monitors' gauges.
std::string metrics_text(const ServiceState& state);

}  // namespace playsight::serve
