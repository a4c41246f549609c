#include "serve/prediction_request.h"

#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>

#include "serve/http_error.h"

namespace playsight::serve {
namespace {

[[noreturn]] void bad_request(const std::string& message) {
  throw HttpError(400, message);
}

// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string parse_error_text(const nlohmann::json::parse_error& error) {
  std::string text = error.what();
  if (const auto end = text.find("] "); text.starts_with("[json.exception") && end != text.npos)
    text = text.substr(end + 2);
  return text;
}

std::string names_text(const std::set<std::string>& names, std::size_t at_most = 10) {
  std::string out;
  std::size_t shown = 0;
  for (const std::string& name : names) {
    if (shown == at_most) {
      out += ", ... (" + std::to_string(names.size()) + " in all)";
      break;
    }
    if (shown++) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

PredictionInput parse_prediction_request(std::string_view body,
                                         const std::vector<std::string>& features,
                                         std::size_t max_players) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    bad_request("the body is not valid JSON: " + parse_error_text(error));
  }
  if (!json.is_object() || !json.contains("players") || !json["players"].is_array())
    bad_request(R"(expected a JSON object {"players": [{"player_id": ..., "features": {...}}]})");
  const nlohmann::json& players = json["players"];
  if (players.size() > max_players)
    throw HttpError(413, std::to_string(players.size()) + " players in one request; at most " +
                             std::to_string(max_players) + " (split the request)");

  std::unordered_map<std::string, std::size_t> column_of;
  for (std::size_t c = 0; c < features.size(); ++c) column_of.emplace(features[c], c);
  PredictionInput input;
  input.features.key_name = "player_id";
  input.features.column_names = features;
  input.features.columns.assign(features.size(), std::vector<double>(players.size()));
  input.player_ids.reserve(players.size());
  input.features.keys.resize(players.size());

  std::set<std::string> unknown;
  std::vector<bool> seen(features.size());
  for (std::size_t i = 0; i < players.size(); ++i) {
    const nlohmann::json& player = players[i];
    const std::string where = "players[" + std::to_string(i) + "]";
    if (!player.is_object()) bad_request(where + ": expected an object, got " + player.type_name());
    const auto id = player.find("player_id");
    if (id != player.end() && !id->is_string() && !id->is_number_integer())
      bad_request(where + ".player_id: expected a string or an integer, got " + id->type_name());
    input.player_ids.push_back(id != player.end() ? *id : nlohmann::json());
    const auto values = player.find("features");
    if (values == player.end() || !values->is_object())
      bad_request(where + R"(: expected "features": {name: number, ...})");
    std::fill(seen.begin(), seen.end(), false);
    for (const auto& [name, value] : values->items()) {
      const auto column = column_of.find(name);
      if (column == column_of.end()) {
        unknown.insert(name);
        continue;
      }
      double number = 0;
      if (value.is_number()) {
        number = value.get<double>();
      } else if (value.is_null()) {
        number = std::numeric_limits<double>::quiet_NaN();
      } else {
        bad_request(where + ".features." + name + ": expected a number or null, got " +
                    value.type_name() + " " + quote_for_message(value.dump()));
      }
      input.features.columns[column->second][i] = number;
      seen[column->second] = true;
    }
    if (!unknown.empty()) continue;
    std::set<std::string> missing;
    for (std::size_t c = 0; c < features.size(); ++c)
      if (!seen[c]) missing.insert(features[c]);
    if (!missing.empty())
      bad_request(where + ": missing feature" + (missing.size() == 1 ? " " : "s ") +
                  names_text(missing) + " (the model needs all " + std::to_string(features.size()) +
                  "; send null for a missing value)");
  }
  if (!unknown.empty())
    bad_request("unknown feature" + std::string(unknown.size() == 1 ? " " : "s ") +
                names_text(unknown) + " (the model's features: GET /v1/models/{name}/aliases/" +
                "{alias} lists them)");
  return input;
}

std::string prediction_response(const ModelSnapshot& snapshot, const PredictionInput& input,
                                const spend::SpendPrediction& prediction) {
  nlohmann::json out = {
      {"model", snapshot.model},           {"alias", snapshot.alias},
      {"version", snapshot.version},       {"content_hash", snapshot.content_hash},
      {"model_spec", snapshot.model_spec}, {"label", snapshot.artifact.label}};
  nlohmann::json predictions = nlohmann::json::array();
  for (std::size_t i = 0; i < prediction.amount.size(); ++i) {
    nlohmann::json row = {{"player_id", input.player_ids[i]},
                          {snapshot.artifact.label, prediction.amount[i]}};
    if (!prediction.payer.empty()) row["payer"] = prediction.payer[i] != 0;
    predictions.push_back(std::move(row));
  }
  out["predictions"] = std::move(predictions);
  return out.dump();
}

}  // namespace playsight::serve
