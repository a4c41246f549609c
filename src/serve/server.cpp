#include "serve/server.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "core/time.h"
#include "http/http_error.h"
#include "http/http_server.h"
#include "playsight/chart_js.h"
#include "serve/api.h"

namespace playsight::serve {

using monitoring::write_family;

namespace {

// The path template's regular expression: each {name} matches one path segment.
std::string path_pattern(const std::string& path, std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      const std::size_t end = path.find('}', i);
      names.push_back(path.substr(i + 1, end - i - 1));
      out += "([^/]+)";
      i = end;
    } else if (std::string_view(".+*?()[]^$|\\").find(path[i]) != std::string_view::npos) {
      out += '\\';
      out += path[i];
    } else {
      out += path[i];
    }
  }
  return out;
}

// The key in "Authorization: Bearer KEY" or "X-API-Key: KEY"; "" if neither.
std::string key_text(const httplib::Request& request) {
  const std::string authorization = request.get_header_value("Authorization");
  if (authorization.starts_with("Bearer ")) return authorization.substr(7);
  return request.get_header_value("X-API-Key");
}

http::ConnectionLimits connection_limits(const ServiceOptions& options) {
  http::ConnectionLimits limits;
  limits.header_timeout = options.header_timeout;
  limits.body_timeout = options.body_timeout;
  limits.max_connections = std::max<std::size_t>(1, options.max_connections);
  limits.max_header_bytes = options.max_header_bytes;
  limits.max_body_bytes = options.max_body_bytes;
  return limits;
}

// The default log: stderr, each line with the UTC time.
void log_to_stderr(const std::string& line) {
  std::fprintf(stderr, "%s playsight serve: %s\n", utc_now_iso().c_str(), line.c_str());
}

}  // namespace

struct Service::Impl {
  explicit Impl(ServiceOptions service_options)
      : options(std::move(service_options)),
        keys(access::ApiKeys::load(options.keys_file.empty() ? access::default_keys_file()
                                                             : options.keys_file)),
        models(options.models),
        jobs(open_jobs(options)),
        reports(options.reports_folder, options.report_formats),
        history(std::chrono::duration<double>(options.monitoring_interval).count(),
                options.monitoring_samples),
        state{models,  keys,    requests,   players_predicted,  options.max_players,
              reports, history, jobs.get(), &options.job_tasks, options.no_auth,
              {}},
        routes(api_routes(state)),
        log(options.log ? options.log : log_to_stderr),
        key_failures(options.key_failures, log),
        server(connection_limits(options), options.http_threads,
               {[this](const std::string& method, int status) {
                  requests.record("unmatched", method, status, 0);
                },
                [this](const std::string& reason) {
                  connections_cut.add({{"reason", reason}}, 1);
                }}) {
    state.write_server_metrics = [this](std::string& out) { write_server_metrics(out); };
  }

  // The families of the HTTP server and of the key limiter, after the API's (metrics_text).
  void write_server_metrics(std::string& out) const {
    write_family(out, "playsight_http_connections_open", "gauge",
                 "Client connections open now, waiting for a request or being served.",
                 {{{}, static_cast<double>(server.open_connections())}});
    write_family(out, "playsight_http_connections_closed_total", "counter",
                 "Connections the service closed at a limit, by reason: header_timeout, "
                 "body_timeout, connection_limit.",
                 connections_cut.samples());
    write_family(out, "playsight_http_key_refusals_total", "counter",
                 "Requests refused for their API key, by reason: no_key and unknown_key (401), "
                 "rate_limited (429).",
                 key_refusals.samples());
    write_family(
        out, "playsight_http_rate_limited_clients", "gauge",
        "Client addresses whose requests without a valid API key are answered 429 now.",
        {{{},
          static_cast<double>(key_failures.limited_addresses(std::chrono::steady_clock::now()))}});
  }

  // A missing or unknown key: 401, or 429 once the client's address is over its limit.
  [[noreturn]] void refuse_key(const httplib::Request& request, bool had_key) {
    const std::optional<int> retry_after =
        key_failures.refuse(request.remote_addr, std::chrono::steady_clock::now());
    if (retry_after) {
      key_refusals.add({{"reason", "rate_limited"}}, 1);
      throw HttpError(429,
                      "too many requests without a valid API key from " + request.remote_addr +
                          " (over " + std::to_string(options.key_failures.failures) +
                          " in a window): retry after " + std::to_string(*retry_after) + " s",
                      {{"Retry-After", std::to_string(*retry_after)}});
    }
    key_refusals.add({{"reason", had_key ? "unknown_key" : "no_key"}}, 1);
    if (!had_key)
      throw HttpError(401,
                      "no API key: send the header \"Authorization: Bearer KEY\" (keys come from "
                      "`playsight serve keys add NAME --role ROLE`)");
    throw HttpError(401, "unknown API key");
  }

  // The key is compared before the limiter is asked, so that a valid key is served whatever its
  // address did before: only failures are limited (access/key_failure_limiter.h).
  std::optional<access::ApiKey> authorize(const Route& route, const httplib::Request& request) {
    if (route.access == Access::open || options.no_auth) return std::nullopt;
    const std::string text = key_text(request);
    std::optional<access::ApiKey> key;
    if (!text.empty()) key = keys.find(text);
    if (!key) refuse_key(request, !text.empty());
    const access::Role needed = static_cast<access::Role>(static_cast<int>(route.access) - 1);
    if (!access::allows(key->role, needed))
      throw HttpError(403, "the key " + quote_for_message(key->name) + " has the role " +
                               access::role_name(key->role) + "; " + route.method + " " +
                               route.path + " needs the role " + access::role_name(needed));
    return key;
  }

  void handle(const Route& route, const std::vector<std::string>& names,
              const httplib::Request& request, httplib::Response& response) {
    const auto start = std::chrono::steady_clock::now();
    Reply reply;
    try {
      RouteRequest route_request;
      for (std::size_t i = 0; i < names.size() && i + 1 < request.matches.size(); ++i)
        route_request.path[names[i]] = request.matches[i + 1].str();
      for (const auto& [name, value] : request.params) route_request.query.emplace(name, value);
      route_request.key = authorize(route, request);
      route_request.body = request.body;
      reply = route.handler(route_request);
    } catch (const HttpError& error) {
      reply = {error.status(), http::error_body(error.status(), error.what()), "application/json",
               error.headers()};
    } catch (const InputError& error) {
      reply = {400, http::error_body(400, error.what()), "application/json", {}};
    } catch (const registry::UnavailableError& error) {
      // The registry is down or restarting: predictions go on from the loaded models; the
      // registry's routes answer 503 until it is back (the next call reconnects).
      reply = {
          503, http::error_body(503, error.what()), "application/json", {{"Retry-After", "1"}}};
    } catch (const std::exception& error) {
      reply = {500,
               http::error_body(500, std::string("internal error: ") + error.what()),
               "application/json",
               {}};
    }
    response.status = reply.status;
    for (const auto& [name, value] : reply.headers) response.set_header(name, value);
    response.set_content(reply.body, reply.content_type.c_str());
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    requests.record(route.path, route.method, reply.status, seconds.count());
    std::string series;
    if (names.size() >= 2 && names[0] == "name" && names[1] == "alias" &&
        request.matches.size() > 2)
      series = request.matches[1].str() + "/" + request.matches[2].str();
    history.record(series, reply.status, seconds.count());
  }

  void install_console() {
    std::string folder = options.web_folder.empty() ? default_web_folder() : options.web_folder;
    if (!folder.empty() && !server.set_mount_point("/console", folder))
      throw InputError("--web " + folder + ": not a folder (expected the console's web/ folder)");
    server.Get("/console/vendor/chart.umd.min.js",
               [](const httplib::Request&, httplib::Response& response) {
                 response.set_header("Cache-Control", "max-age=3600");
                 response.set_content(kChartJs, sizeof(kChartJs) - 1, "text/javascript");
               });
  }

  // Closes a monitoring interval every options.monitoring_interval until stop_sampler().
  void sample_history() {
    std::unique_lock lock(sampler_mutex);
    while (!sampler_stopping) {
      if (sampler_signal.wait_for(lock, options.monitoring_interval,
                                  [this] { return sampler_stopping; }))
        break;
      lock.unlock();
      history.close_interval(drift_samples(models));
      key_failures.close_windows(std::chrono::steady_clock::now());
      lock.lock();
    }
  }

  void stop_sampler() {
    {
      const std::lock_guard lock(sampler_mutex);
      sampler_stopping = true;
    }
    sampler_signal.notify_all();
    if (sampler.joinable()) sampler.join();
  }

  void install_routes() {
    for (const Route& route : routes) {
      auto names = std::make_shared<std::vector<std::string>>();
      const std::string pattern = path_pattern(route.path, *names);
      const Route* route_pointer = &route;
      httplib::Server::Handler handler = [this, route_pointer, names](
                                             const httplib::Request& request,
                                             httplib::Response& response) {
        handle(*route_pointer, *names, request, response);
      };
      if (route.method == "GET") {
        server.Get(pattern, handler);
      } else if (route.method == "DELETE") {
        server.Delete(pattern, handler);
      } else {
        server.Post(pattern, handler);
      }
    }
    // Answers httplib gives before or without a route (404 unknown path, 413 body too large,
    // 400 unreadable request): a JSON body like every other error. Routes' own errors already
    // have a body and are left alone.
    const httplib::Server::HandlerWithResponse error_handler =
        [this](const httplib::Request& request, httplib::Response& response) {
          if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          std::string message = "no such endpoint: " + request.method + " " + request.path +
                                " (GET /openapi.json lists them)";
          if (response.status == 413)
            message = "the body is over the limit of " + std::to_string(options.max_body_bytes) +
                      " bytes (split the request)";
          else if (response.status != 404)
            message =
                "the request could not be read (malformed HTTP, or a body shorter than its "
                "Content-Length)";
          response.set_content(http::error_body(response.status, message), "application/json");
          requests.record("unmatched", request.method, response.status, 0);
          return httplib::Server::HandlerResponse::Handled;
        };
    server.set_error_handler(error_handler);
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
          response.status = 500;
          response.set_content(http::error_body(500, "internal error"), "application/json");
        });
  }

  static std::unique_ptr<jobs::JobRunner> open_jobs(const ServiceOptions& options) {
    if (!options.jobs) return nullptr;
    return std::make_unique<jobs::JobRunner>(*options.jobs);
  }

  ServiceOptions options;
  access::ApiKeys keys;
  LiveModels models;
  std::unique_ptr<jobs::JobRunner> jobs;
  monitoring::RequestMetrics requests;
  monitoring::CounterFamily players_predicted;
  ReportLibrary reports;
  monitoring::MonitoringHistory history;
  ServiceState state;
  std::vector<Route> routes;
  std::function<void(const std::string&)> log;
  access::KeyFailureLimiter key_failures;
  monitoring::CounterFamily key_refusals;     // by reason
  monitoring::CounterFamily connections_cut;  // by reason
  http::HttpServer server;
  std::mutex sampler_mutex;
  std::condition_variable sampler_signal;
  bool sampler_stopping = false;
  std::thread sampler;
};

std::string default_web_folder() {
#ifdef PLAYSIGHT_WEB_FOLDER
  std::error_code error;
  if (std::filesystem::is_regular_file(std::filesystem::path(PLAYSIGHT_WEB_FOLDER) / "index.html",
                                       error))
    return PLAYSIGHT_WEB_FOLDER;
#endif
  return "";
}

Service::Service(ServiceOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  if (impl_->keys.empty() && !impl_->options.no_auth)
    throw InputError("no API keys in " +
                     (impl_->options.keys_file.empty() ? access::default_keys_file()
                                                       : impl_->options.keys_file) +
                     ": add one with `playsight serve keys add NAME --role admin`, or serve "
                     "without access control with --no-auth");
  impl_->server.set_keep_alive_max_count(1000000);
  impl_->install_console();
  impl_->install_routes();
  impl_->models.refresh();
}

Service::~Service() {
  stop();
}

int Service::bind() {
  const ServiceOptions& options = impl_->options;
  const int port = impl_->server.bind(options.host, options.port);
  if (port <= 0)
    throw Error("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                " (in use, or not an address of this machine)");
  return port;
}

void Service::run() {
  impl_->models.start_watcher();
  if (impl_->jobs) impl_->jobs->start();
  impl_->sampler = std::thread([this] { impl_->sample_history(); });
  impl_->server.listen_after_bind();
  // Every connection is closed now: no refusal can come after this summary of the windows.
  impl_->key_failures.close_all();
}

void Service::stop() {
  if (impl_->server.is_running()) impl_->server.stop();
  if (impl_->jobs) impl_->jobs->stop();
  impl_->stop_sampler();
  impl_->key_failures.close_all();
}

jobs::JobRunner* Service::jobs() {
  return impl_->jobs.get();
}

LiveModels& Service::models() {
  return impl_->models;
}

}  // namespace playsight::serve
