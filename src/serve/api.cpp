#include "serve/api.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "http/http_error.h"
#include "playsight/version.h"
#include "serve/job_routes.h"
#include "serve/openapi.h"
#include "serve/prediction_request.h"
#include "spend/models/feature_matrix.h"

namespace playsight::serve {

using monitoring::Labels;
using monitoring::Sample;
using monitoring::write_family;

namespace {

using nlohmann::json;

Reply json_reply(const json& body, int status = 200) {
  return {status, body.dump(), "application/json", {}};
}

ModelSlot& served_slot(const ServiceState& state, const RouteRequest& request) {
  const std::string& model = request.path.at("name");
  const std::string& alias = request.path.at("alias");
  ModelSlot* slot = state.models.find(model, alias);
  if (!slot) {
    std::string served;
    for (const auto& [m, a] : state.models.options().served)
      served += (served.empty() ? "" : ", ") + m + "/" + a;
    throw HttpError(
        404, "this service does not serve " + model + "/" + alias + " (it serves " + served + ")");
  }
  return *slot;
}

std::shared_ptr<const ModelSnapshot> loaded_snapshot(const ModelSlot& slot) {
  auto snapshot = slot.current();
  if (!snapshot)
    throw HttpError(
        503, slot.model() + "/" + slot.alias() + " has no version loaded yet (see GET /readyz)");
  return snapshot;
}

void add_model_headers(Reply& reply, const ModelSnapshot& snapshot) {
  reply.headers.insert(reply.headers.end(), {{"X-Model-Name", snapshot.model},
                                             {"X-Model-Alias", snapshot.alias},
                                             {"X-Model-Version", std::to_string(snapshot.version)},
                                             {"X-Model-Content-Hash", snapshot.content_hash}});
}

json snapshot_json(const ModelSnapshot& snapshot) {
  return {{"model", snapshot.model},
          {"alias", snapshot.alias},
          {"version", snapshot.version},
          {"content_hash", snapshot.content_hash},
          {"model_spec", snapshot.model_spec},
          {"label", snapshot.artifact.label},
          {"features", snapshot.artifact.features},
          {"loaded_at", snapshot.loaded_at},
          {"monitoring", snapshot.monitor != nullptr}};
}

// The registry's InputErrors (unknown model, version, alias; nothing to roll back to) as HTTP.
template <typename Work>
auto registry_call(int status, Work work) {
  try {
    return work();
  } catch (const HttpError&) {
    throw;
  } catch (const InputError& error) {
    throw HttpError(status, error.what());
  }
}

template <typename Record>
json json_array(const std::vector<Record>& records) {
  json out = json::array();
  for (const Record& record : records) out.push_back(registry::to_json(record));
  return out;
}

// work(registry, name) for the model the path names, on the service's registry connection; the
// registry's InputErrors (an unknown model) answer 404.
template <typename Work>
Reply model_reply(const ServiceState& state, const RouteRequest& request, Work work) {
  return registry_call(404, [&] {
    return json_reply(state.models.with_registry([&](registry::ModelRegistry& registry) {
      return work(registry, request.path.at("name"));
    }));
  });
}

json body_object(const RouteRequest& request, bool required) {
  if (request.body.empty() && !required) return json::object();
  json body;
  try {
    body = json::parse(request.body);
  } catch (const json::exception& error) {  // parse_error, or out_of_range for a huge number
    throw HttpError(400, std::string("the body is not valid JSON: ") + error.what());
  }
  if (!body.is_object()) throw HttpError(400, "expected a JSON object as the body");
  return body;
}

std::string comment_of(const json& body) {
  const auto comment = body.find("comment");
  if (comment == body.end()) return "";
  if (!comment->is_string()) throw HttpError(400, "comment: expected a string");
  return comment->get<std::string>();
}

registry::ChangeNote note_of(const RouteRequest& request, const json& body) {
  return {request.key ? "key:" + request.key->name : "", comment_of(body)};
}

// The move and the version the slot serves now (null when this service does not serve the alias).
json move_json(const registry::AliasMove& move, const ModelSlot* slot) {
  json out = {{"model", move.model},
              {"alias", move.alias},
              {"from_version", move.from_version ? json(*move.from_version) : json()},
              {"to_version", move.to_version},
              {"changed", move.changed()}};
  const auto snapshot = slot ? slot->current() : nullptr;
  out["served_version"] = snapshot ? json(snapshot->version) : json();
  return out;
}

Reply predict(ServiceState& state, const RouteRequest& request) {
  const ModelSlot& slot = served_slot(state, request);
  const auto snapshot = loaded_snapshot(slot);  // this request's version, whatever swaps meanwhile
  const std::vector<std::string>& features = snapshot->artifact.features;
  const PredictionInput input = parse_prediction_request(request.body, features, state.max_players);
  const spend::FeatureMatrix x(input.features, features);
  const spend::SpendPrediction prediction =
      x.rows() ? snapshot->artifact.model->predict(x) : spend::SpendPrediction{};
  if (snapshot->monitor) snapshot->monitor->observe(x.values(), prediction.amount);
  state.players_predicted.add({{"model", snapshot->model},
                               {"alias", snapshot->alias},
                               {"version", std::to_string(snapshot->version)}},
                              static_cast<double>(x.rows()));
  Reply reply{200, prediction_response(*snapshot, input, prediction), "application/json", {}};
  add_model_headers(reply, *snapshot);
  return reply;
}

json monitoring_json(const ServiceState& state) {
  json out = json::array();
  for (const SlotStatus& status : state.models.status()) {
    json entry = {{"model", status.model}, {"alias", status.alias}};
    if (!status.snapshot) {
      entry["status"] = "not_loaded";
    } else if (!status.snapshot->monitor) {
      entry["version"] = status.snapshot->version;
      entry["status"] = "no_reference";
      entry["hint"] = "start playsight serve with --reference FEATURES.csv to monitor drift";
    } else {
      entry["version"] = status.snapshot->version;
      entry.update(to_json(status.snapshot->monitor->report()));
    }
    out.push_back(entry);
  }
  return {{"models", out}};
}

}  // namespace

std::vector<Route> api_routes(ServiceState& state) {
  const std::string alias_path = "/v1/models/{name}/aliases/{alias}";
  std::vector<Route> routes = {
      {"GET",
       "/healthz",
       Access::open,
       "Liveness: the process answers.",
       "",
       {},
       [](const RouteRequest&) {
         return json_reply({{"status", "ok"}});
       }},
      {"GET",
       "/readyz",
       Access::open,
       "Readiness: every served alias has a version loaded (503 until then).",
       "",
       {503},
       [&state](const RouteRequest&) {
         json models = json::array();
         for (const SlotStatus& status : state.models.status())
           models.push_back({{"model", status.model},
                             {"alias", status.alias},
                             {"version", status.snapshot ? json(status.snapshot->version) : json()},
                             {"last_error", status.last_error}});
         const bool ready = state.models.ready();
         return json_reply({{"ready", ready}, {"models", models}}, ready ? 200 : 503);
       }},
      {"GET",
       "/metrics",
       Access::open,
       "Prometheus metrics (text exposition format 0.0.4).",
       "",
       {},
       [&state](const RouteRequest&) {
         return Reply{200, metrics_text(state), "text/plain; version=0.0.4; charset=utf-8", {}};
       }},
      {"GET", "/openapi.json", Access::open, "This API as an OpenAPI 3 document.", "", {}, nullptr},
      {"GET",
       "/v1/models",
       Access::predict,
       "The registry's models, their versions and aliases.",
       "",
       {503},
       [&state](const RouteRequest&) {
         const auto summaries = state.models.with_registry(
             [](registry::ModelRegistry& registry) { return registry.models(); });
         json out = json::array();
         for (const registry::ModelSummary& m : summaries) {
           json aliases = json::object();
           for (const auto& alias : m.aliases) aliases[alias.alias] = alias.version;
           out.push_back({{"model", m.model},
                          {"versions", m.version_count},
                          {"latest_version", m.latest_version},
                          {"aliases", aliases}});
         }
         return json_reply({{"models", out}});
       }},
      {"GET",
       "/v1/models/{name}",
       Access::predict,
       "One model's versions and aliases.",
       "",
       {404, 503},
       [&state](const RouteRequest& request) {
         return model_reply(state, request,
                            [](registry::ModelRegistry& registry, const std::string& name) {
                              return json{{"model", name},
                                          {"versions", json_array(registry.versions(name))},
                                          {"aliases", json_array(registry.aliases(name))}};
                            });
       }},
      {"GET",
       "/v1/models/{name}/history",
       Access::predict,
       "The model's audit log (registrations, deploys, rollbacks, syncs), oldest first.",
       "",
       {404, 503},
       [&state](const RouteRequest& request) {
         return model_reply(
             state, request, [](registry::ModelRegistry& registry, const std::string& name) {
               registry.versions(name);  // an unknown model is a 404, not an empty log
               return json{{"model", name}, {"history", json_array(registry.history(name))}};
             });
       }},
      {"GET",
       alias_path,
       Access::predict,
       "The version this service serves for the alias: number, content hash, features, label.",
       "",
       {404, 503},
       [&state](const RouteRequest& request) {
         const auto snapshot = loaded_snapshot(served_slot(state, request));
         Reply reply = json_reply(snapshot_json(*snapshot));
         add_model_headers(reply, *snapshot);
         return reply;
       }},
      {"POST",
       alias_path + "/predict",
       Access::predict,
       "Predict each player's top-up amount with the version behind the alias.",
       R"({"players": [{"player_id": "p1", "features": {"NAME": number or null, ...}}, ...]})",
       {400, 404, 413, 503},
       [&state](const RouteRequest& request) { return predict(state, request); }},
      {"POST",
       alias_path + "/deploy",
       Access::deploy,
       "Point the alias at a version: the version is loaded first, then the alias moves, then "
       "it serves.",
       R"({"version": N, "comment": "why"})",
       {400, 404, 422, 503},
       [&state](const RouteRequest& request) {
         const json body = body_object(request, true);
         const auto version = body.find("version");
         if (version == body.end() || !version->is_number_integer() ||
             version->get<std::int64_t>() < 1 ||
             version->get<std::int64_t>() > std::numeric_limits<int>::max())
           throw HttpError(400, "version: expected an integer >= 1");
         const std::string& model = request.path.at("name");
         const std::string& alias = request.path.at("alias");
         const registry::AliasMove move = registry_call(422, [&] {
           return state.models.deploy(model, version->get<int>(), alias, note_of(request, body));
         });
         return json_reply(move_json(move, state.models.find(model, alias)));
       }},
      {"POST",
       alias_path + "/rollback",
       Access::deploy,
       "Move the alias back to the version before its last deploy, and serve that.",
       R"({"comment": "why"} (optional))",
       {400, 404, 422, 503},
       [&state](const RouteRequest& request) {
         const json body = body_object(request, false);
         const std::string& model = request.path.at("name");
         const std::string& alias = request.path.at("alias");
         const registry::AliasMove move = registry_call(
             422, [&] { return state.models.rollback(model, alias, note_of(request, body)); });
         return json_reply(move_json(move, state.models.find(model, alias)));
       }},
      {"GET",
       "/v1/monitoring",
       Access::predict,
       "Drift per served alias: PSI of each feature and of the prediction against the reference, "
       "status ok / warn / drift / insufficient_data, and the drift flag.",
       "",
       {},
       [&state](const RouteRequest&) { return json_reply(monitoring_json(state)); }},
      {"POST",
       "/v1/monitoring/reset",
       Access::admin,
       "Forget what the drift monitors have seen and count afresh.",
       "",
       {},
       [&state](const RouteRequest&) {
         for (const SlotStatus& status : state.models.status())
           if (status.snapshot && status.snapshot->monitor) status.snapshot->monitor->reset();
         return json_reply({{"reset", true}});
       }},
      {"GET",
       "/v1/keys",
       Access::admin,
       "The API keys' names and roles (never the keys).",
       "",
       {},
       [&state](const RouteRequest&) {
         json keys = json::array();
         for (const access::ApiKey& key : state.keys.keys())
           keys.push_back({{"name", key.name},
                           {"role", access::role_name(key.role)},
                           {"created_at", key.created_at}});
         return json_reply({{"keys", keys}});
       }},
  };
  if (state.jobs)
    for (Route& route : job_routes(*state.jobs, state.no_auth, *state.job_tasks))
      routes.push_back(std::move(route));
  for (Route& route : console_routes(state)) routes.push_back(std::move(route));
  const std::string document = openapi_document(routes, kVersion).dump(2);
  for (Route& route : routes)
    if (route.path == "/openapi.json")
      route.handler = [document](const RouteRequest&) {
        return Reply{200, document, "application/json", {}};
      };
  return routes;
}

std::string metrics_text(const ServiceState& state) {
  std::string out;
  state.requests.write(out);
  if (state.write_server_metrics) state.write_server_metrics(out);
  write_family(out, "playsight_predictions_total", "counter",
               "Players predicted, by model, alias and the version that predicted them.",
               state.players_predicted.samples());
  std::vector<Sample> version, info, ready, swaps, failures, psi, prediction_psi, drift_flag,
      drift_rows;
  for (const SlotStatus& status : state.models.status()) {
    const Labels labels = {{"model", status.model}, {"alias", status.alias}};
    ready.push_back({labels, status.snapshot ? 1.0 : 0.0});
    swaps.push_back({labels, static_cast<double>(status.swaps)});
    failures.push_back({labels, static_cast<double>(status.load_failures)});
    if (!status.snapshot) continue;
    const ModelSnapshot& snapshot = *status.snapshot;
    version.push_back({labels, static_cast<double>(snapshot.version)});
    Labels info_labels = labels;
    info_labels.insert(info_labels.end(), {{"version", std::to_string(snapshot.version)},
                                           {"content_hash", snapshot.content_hash},
                                           {"model_spec", snapshot.model_spec}});
    info.push_back({info_labels, 1});
    if (!snapshot.monitor) continue;
    const monitoring::DriftReport report = snapshot.monitor->report();
    for (const monitoring::QuantityDrift& feature : report.features) {
      Labels feature_labels = labels;
      feature_labels.emplace_back("feature", feature.name);
      psi.push_back({feature_labels, feature.psi});
    }
    prediction_psi.push_back({labels, report.prediction.psi});
    drift_flag.push_back({labels, report.drift ? 1.0 : 0.0});
    drift_rows.push_back({labels, static_cast<double>(report.rows)});
  }
  write_family(out, "playsight_model_version", "gauge",
               "The version number each served alias answers with.", version);
  write_family(out, "playsight_model_info", "gauge",
               "1 for the version each served alias answers with, with its content hash.", info);
  write_family(out, "playsight_model_ready", "gauge", "1 when the alias has a version loaded.",
               ready);
  write_family(out, "playsight_model_swaps_total", "counter",
               "Versions loaded and swapped in since the service started.", swaps);
  write_family(out, "playsight_model_load_failures_total", "counter",
               "Versions or aliases that could not be read or loaded.", failures);
  write_family(out, "playsight_drift_feature_psi", "gauge",
               "Population stability index of each feature against the reference table.", psi);
  write_family(out, "playsight_drift_prediction_psi", "gauge",
               "Population stability index of the predictions against the reference's.",
               prediction_psi);
  write_family(out, "playsight_drift_flag", "gauge",
               "1 when some feature's or the prediction's PSI reached the drift threshold.",
               drift_flag);
  write_family(out, "playsight_drift_observed_players", "gauge",
               "Players the drift monitor has counted for the loaded version.", drift_rows);
  return out;
}

}  // namespace playsight::serve
