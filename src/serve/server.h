#pragma once
// `playsight serve`: the HTTP service (cpp-httplib, in-process, a pool of worker threads) over
// the route table of api.h. For every request the server finds the route, checks the API key
// against the route's role (access/api_keys.h), runs the handler, turns an HttpError into its
// status and any other exception into a 400 (InputError) or 500 (anything else) with the JSON body
// {"error": message, "status": N}, and records the request in the metrics. Bodies over the size
// limit get a 413 before any handler runs (and before they are read); unknown paths a 404.
// Requests without a valid API key are counted per client address and, past
// options.key_failures, answered 429 (access/key_failure_limiter.h); slow or oversized requests are
// cut by the connection limits (http/http_server.h).
//
// The web console: the static files of web_folder (web/ of the source tree by default, see
// default_web_folder()) are served under /console/, with Chart.js (built into the binary from
// node_modules at configure time) at /console/vendor/chart.umd.min.js; GET / redirects there.
// A sampler thread closes an interval of the MonitoringHistory every monitoring_interval.
//
// A Service owns the LiveModels (live_models.h): constructing it reads the keys file and the
// reference table and loads every served alias once (an alias that cannot be loaded yet leaves
// the service unready, not failed: /readyz says why and the watcher keeps trying). run() serves
// until stop(), which may be called from any thread (a signal-waiting one, say). With
// options.jobs it also hosts the job runner: run() starts its supervisor, stop() stops it (and
// the jobs still running, killed with "the service stopped").
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "access/api_keys.h"
#include "access/key_failure_limiter.h"
#include "jobs/runner.h"
#include "serve/job_routes.h"
#include "serve/live_models.h"
#include "serve/reports.h"

namespace playsight::serve {

struct ServiceOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                               // 0: any free port (see bind())
  unsigned http_threads = 16;                    // requests served at once
  std::size_t max_body_bytes = 8 * 1024 * 1024;  // larger bodies get 413, before they are read
  // Hostile or broken clients (http/http_server.h). A request's line and headers must arrive
  // within header_timeout of its first byte (of the connection's opening, for the first), its
  // body within body_timeout after them, else 408 and the connection is closed; at most
  // max_connections are open (one more closes the one waiting longest for its request); a head
  // over max_header_bytes gets 431.
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  std::size_t max_connections = 512;
  std::size_t max_header_bytes = 64 * 1024;
  // Requests with a missing or unknown API key per client address and window before the
  // address's further ones get 429 (access/key_failure_limiter.h).
  access::KeyFailureLimits key_failures;
  // Where the service's log lines go, one per call (without newline); none: stderr, with the time.
  std::function<void(const std::string& line)> log;
  std::size_t max_players = 10000;  // per prediction request
  std::string keys_file;            // "" = default_keys_file()
  bool no_auth = false;             // serve without API keys (local use)
  LiveModelsOptions models;
  // Hosts the job runner of this folder and its endpoints (job_routes.h); none: no jobs.
  std::optional<jobs::RunnerOptions> jobs;
  JobTasks job_tasks;            // the tasks jobs may run (job_routes.h), from the task layer
  std::string reports_folder;    // report folders for the console ("" = none), see reports.h
  ReportFormats report_formats;  // the report files the tasks declare (tasks::report_formats())
  std::string web_folder;        // the console's files; "" = default_web_folder()
  std::chrono::milliseconds monitoring_interval{10000};
  std::size_t monitoring_samples = 360;  // intervals kept by GET /v1/monitoring/history
};

// web/ of the source tree this binary was built from, if it is still there; else "".
std::string default_web_folder();

class Service {
 public:
  // Throws InputError for a keys file or reference table that cannot be read, and when there are
  // no keys and no_auth is off (a service nobody can use, or everybody can, is refused).
  explicit Service(ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Binds the listening socket; returns the port (the chosen one when options.port is 0).
  // Throws Error if the address cannot be bound.
  int bind();
  // Starts the alias watcher and serves until stop(). REQUIRES: bind() succeeded.
  void run();
  void stop();
  LiveModels& models();
  jobs::JobRunner* jobs();  // nullptr without options.jobs

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace playsight::serve
