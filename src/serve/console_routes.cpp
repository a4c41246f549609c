// The routes behind the web console (api.h lists them): who the caller is, monitoring over time,
// and the report folders. Thin: each reads the ReportLibrary or the MonitoringHistory once.
#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "http/http_error.h"
#include "serve/api.h"

namespace playsight::serve {
namespace {

using nlohmann::json;

Reply json_reply(const json& body) {
  return {200, body.dump(), "application/json", {}};
}

ReportFolder report_of(const ServiceState& state, const RouteRequest& request) {
  const std::string& id = request.path.at("id");
  std::optional<ReportFolder> report = state.reports.find(id);
  if (!report)
    throw HttpError(
        404, "no report " + quote_for_message(id) +
                 (state.reports.root().empty() ? " (the service was started without --reports DIR)"
                                               : " under " + state.reports.root().string() +
                                                     " (GET /v1/reports lists them)"));
  return *report;
}

std::size_t after_of(const RouteRequest& request) {
  const auto after = request.query.find("after");
  if (after == request.query.end() || after->second.empty()) return 0;
  std::size_t value = 0;
  const char* end = after->second.data() + after->second.size();
  const auto [stop, error] = std::from_chars(after->second.data(), end, value);
  if (error != std::errc() || stop != end)
    throw HttpError(400, "after: expected a line count (an integer >= 0)");
  return value;
}

}  // namespace

std::vector<monitoring::DriftSample> drift_samples(const LiveModels& models) {
  std::vector<monitoring::DriftSample> out;
  for (const SlotStatus& status : models.status()) {
    monitoring::DriftSample sample;
    sample.model = status.model;
    sample.alias = status.alias;
    if (!status.snapshot) {
      sample.status = "not_loaded";
    } else if (!status.snapshot->monitor) {
      sample.version = status.snapshot->version;
      sample.status = "no_reference";
    } else {
      const monitoring::DriftReport report = status.snapshot->monitor->report();
      sample.version = status.snapshot->version;
      sample.status = report.status;
      sample.prediction_psi = report.prediction.psi;
      for (const monitoring::QuantityDrift& feature : report.features)
        sample.max_feature_psi = std::max(sample.max_feature_psi, feature.psi);
      sample.players = report.rows;
    }
    out.push_back(std::move(sample));
  }
  return out;
}

std::vector<Route> console_routes(ServiceState& state) {
  return {
      {"GET",
       "/",
       Access::open,
       "The web console: redirects to /console/.",
       "",
       {302},
       [](const RouteRequest&) {
         return Reply{
             302, R"({"console": "/console/"})", "application/json", {{"Location", "/console/"}}};
       }},
      {"GET",
       "/v1/whoami",
       Access::predict,
       "The caller's key: its name and role (the console shows deploy buttons to the deploy "
       "role).",
       "",
       {},
       [&state](const RouteRequest& request) {
         if (!request.key)
           return json_reply({{"name", nullptr}, {"role", "admin"}, {"auth", !state.no_auth}});
         return json_reply({{"name", request.key->name},
                            {"role", access::role_name(request.key->role)},
                            {"auth", true}});
       }},
      {"GET",
       "/v1/monitoring/history",
       Access::predict,
       "Monitoring over time, oldest first: per interval the requests, errors and latency "
       "percentiles of all requests and of each alias, and each alias's drift reading.",
       "",
       {},
       [&state](const RouteRequest&) {
         json samples = json::array();
         for (const monitoring::HistorySample& sample : state.history.samples())
           samples.push_back(to_json(sample));
         return json_reply(
             {{"interval_seconds", state.history.interval_seconds()}, {"samples", samples}});
       }},
      {"GET",
       "/v1/reports",
       Access::predict,
       "The report folders under --reports DIR: nudge effects, audience and playtest reports, "
       "finished or still running (seconds.jsonl only).",
       "",
       {},
       [&state](const RouteRequest&) {
         json reports = json::array();
         for (const ReportFolder& report : state.reports.list()) reports.push_back(to_json(report));
         return json_reply({{"configured", !state.reports.root().empty()}, {"reports", reports}});
       }},
      {"GET",
       "/v1/reports/{id}",
       Access::predict,
       "A finished report's JSON (effect.json, summary.json or session.json); 409 while it runs.",
       "",
       {404, 409},
       [&state](const RouteRequest& request) {
         const ReportFolder report = report_of(state, request);
         if (report.running)
           throw HttpError(409, "the analysis " + quote_for_message(report.id) +
                                    " is still running: GET /v1/reports/" + report.id +
                                    "/seconds follows it");
         return json_reply({{"report", to_json(report)}, {"data", ReportLibrary::read(report)}});
       }},
      {"GET",
       "/v1/reports/{id}/seconds",
       Access::predict,
       "The report's seconds.jsonl from line `after` on (query ?after=N, default 0): poll with "
       "the answer's `next` to follow an analysis while it runs.",
       "",
       {400, 404},
       [&state](const RouteRequest& request) {
         const ReportFolder report = report_of(state, request);
         const SecondsPage page = ReportLibrary::seconds(report, after_of(request));
         return json_reply({{"id", report.id},
                            {"kind", report.kind},
                            {"status", page.running ? "running" : "complete"},
                            {"next", page.next},
                            {"seconds", page.seconds}});
       }},
  };
}

}  // namespace playsight::serve
