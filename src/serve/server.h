#pragma once
// `playsight serve`: the HTTP service (cpp-httplib, in-process, a pool of worker threads) over
// the route table of api.h. For every request the server finds the route, checks the API key
// against the route's role (api_keys.h), runs the handler, turns an HttpError into its status and
// any other exception into a 400 (InputError) or 500 (anything else) with the JSON body
// {"error": message, "status": N}, and records the request in the metrics. Bodies over the size
// limit get a 413 before any handler runs; unknown paths a 404.
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
#include <memory>
#include <optional>
#include <string>

#include "jobs/runner.h"
#include "serve/live_models.h"

namespace playsight::serve {

struct ServiceOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                               // 0: any free port (see bind())
  unsigned http_threads = 16;                    // each keep-alive connection holds one
  std::size_t max_body_bytes = 8 * 1024 * 1024;  // larger bodies get 413
  std::size_t max_players = 10000;               // per prediction request
  std::string keys_file;                         // "" = default_keys_file()
  bool no_auth = false;                          // serve without API keys (local use)
  LiveModelsOptions models;
  // Hosts the job runner of this folder and its endpoints (job_routes.h); none: no jobs.
  std::optional<jobs::RunnerOptions> jobs;
  std::string reports_folder;  // report folders for the console ("" = none), see reports.h
  std::string web_folder;      // the console's files; "" = default_web_folder()
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
