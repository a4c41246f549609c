#include "serve/prediction_request.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "http/http_error.h"

namespace playsight::serve {
namespace {

using nlohmann::json;

[[noreturn]] void bad_request(const std::string& message) {
  throw http::HttpError(400, message);
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

// Reads the body's events into the feature table. Containers are tracked on a stack; the key
// last seen in the innermost object says what the next value is.
class RequestReader : public nlohmann::json_sax<json> {
 public:
  RequestReader(const std::vector<std::string>& features, std::size_t max_players,
                PredictionInput& input)
      : features_(features), max_players_(max_players), input_(input), seen_(features.size()) {
    for (std::size_t c = 0; c < features.size(); ++c) column_of_.emplace(features[c], c);
    input_.features.key_name = "player_id";
    input_.features.column_names = features;
    input_.features.columns.assign(features.size(), {});
  }

  void finish() {
    if (!players_seen_)
      bad_request(R"(expected a JSON object {"players": [{"player_id": ..., "features": {...}}]})");
    if (!unknown_.empty())
      bad_request("unknown feature" + std::string(unknown_.size() == 1 ? " " : "s ") +
                  names_text(unknown_) + " (the model's features: GET /v1/models/{name}/aliases/" +
                  "{alias} lists them)");
  }

  bool null() override { return scalar("null", "null", std::numeric_limits<double>::quiet_NaN()); }
  bool boolean(bool value) override {
    return scalar("boolean", value ? "true" : "false", std::nullopt);
  }
  bool number_integer(number_integer_t value) override {
    return scalar("number", std::to_string(value), static_cast<double>(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return scalar("number", std::to_string(value), static_cast<double>(value));
  }
  bool number_float(number_float_t value, const string_t& text) override {
    return scalar("number", text, value);
  }
  bool string(string_t& value) override {
    return scalar("string", json(value).dump(), std::nullopt);
  }
  bool binary(binary_t&) override { return scalar("binary", "", std::nullopt); }

  bool start_object(std::size_t) override { return open(Context::other_object, "object"); }
  bool start_array(std::size_t) override { return open(Context::other_array, "array"); }
  bool key(string_t& value) override {
    key_ = value;
    return true;
  }
  bool end_object() override {
    if (stack_.back() == Context::player) end_player();
    stack_.pop_back();
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    std::string text = error.what();  // without nlohmann's "[json.exception.parse_error.101] "
    if (const auto end = text.find("] "); text.starts_with("[json.exception") && end != text.npos)
      text = text.substr(end + 2);
    bad_request("the body is not valid JSON: " + text);
  }

 private:
  enum class Context { top, players, player, features, other_object, other_array };

  std::string where() const { return "players[" + std::to_string(row_) + "]"; }

  // A scalar value at the current place. text: the value for messages ("" = not needed).
  bool scalar(const char* type, const std::string& text, std::optional<double> number) {
    if (stack_.empty()) bad_request("expected a JSON object as the body, got " + std::string(type));
    switch (stack_.back()) {
      case Context::top:
        if (key_ == "players") bad_request("players: expected an array, got " + std::string(type));
        break;
      case Context::players:
        start_player();
        bad_request(where() + ": expected an object, got " + type);
      case Context::player:
        if (key_ == "player_id") {
          if (std::string(type) == "string" ||
              (number && text.size() && text.find_first_not_of("-0123456789") == text.npos))
            input_.player_ids.back() = text;
          else
            bad_request(where() + ".player_id: expected a string or an integer, got " + type);
        } else if (key_ == "features") {
          bad_request(where() + R"(: expected "features": {name: number, ...}, got )" + type);
        }
        break;
      case Context::features: {
        const auto column = column_of_.find(key_);
        if (column == column_of_.end()) {
          unknown_.insert(key_);
          break;
        }
        if (!number || std::string(type) == "null") {
          if (std::string(type) != "null")
            bad_request(where() + ".features." + key_ + ": expected a number or null, got " + type +
                        (text.empty() ? "" : " " + quote_for_message(text)));
        }
        if (std::fabs(*number) > std::numeric_limits<float>::max())
          bad_request(where() + ".features." + key_ + ": " + (text.empty() ? "the number" : text) +
                      " is beyond the range of the model's 32-bit floats (about 3.4e38)");
        input_.features.columns[column->second][row_] = *number;
        seen_[column->second] = true;
        break;
      }
      case Context::other_object:
      case Context::other_array:
        break;
    }
    return true;
  }

  bool open(Context other, const char* type) {
    if (stack_.empty()) {
      if (other != Context::other_object)
        bad_request("expected a JSON object as the body, got " + std::string(type));
      stack_.push_back(Context::top);
      return true;
    }
    Context next = other;
    switch (stack_.back()) {
      case Context::top:
        if (key_ == "players") {
          if (other != Context::other_array)
            bad_request("players: expected an array, got " + std::string(type));
          players_seen_ = true;
          next = Context::players;
        }
        break;
      case Context::players:
        start_player();
        if (other != Context::other_object)
          bad_request(where() + ": expected an object, got " + type);
        next = Context::player;
        break;
      case Context::player:
        if (key_ == "player_id")
          bad_request(where() + ".player_id: expected a string or an integer, got " + type);
        if (key_ == "features") {
          if (other != Context::other_object)
            bad_request(where() + R"(: expected "features": {name: number, ...}, got )" + type);
          features_seen_ = true;
          next = Context::features;
        }
        break;
      case Context::features:
        if (column_of_.count(key_))
          bad_request(where() + ".features." + key_ + ": expected a number or null, got " + type);
        unknown_.insert(key_);
        break;
      case Context::other_object:
      case Context::other_array:
        break;
    }
    stack_.push_back(next);
    return true;
  }

  void start_player() {
    row_ = input_.player_ids.size();
    if (row_ == max_players_)
      throw http::HttpError(413, "more than " + std::to_string(max_players_) +
                                     " players in one request (split the request)");
    input_.player_ids.push_back("null");
    input_.features.keys.emplace_back();
    for (auto& column : input_.features.columns) column.push_back(0);
    std::fill(seen_.begin(), seen_.end(), false);
    features_seen_ = false;
  }

  void end_player() {
    if (!features_seen_) bad_request(where() + R"(: expected "features": {name: number, ...})");
    if (!unknown_.empty()) return;  // reported at the end, with every unknown name
    std::set<std::string> missing;
    for (std::size_t c = 0; c < features_.size(); ++c)
      if (!seen_[c]) missing.insert(features_[c]);
    if (!missing.empty())
      bad_request(where() + ": missing feature" + (missing.size() == 1 ? " " : "s ") +
                  names_text(missing) + " (the model needs all " +
                  std::to_string(features_.size()) + "; send null for a missing value)");
  }

  const std::vector<std::string>& features_;
  std::size_t max_players_;
  PredictionInput& input_;
  std::unordered_map<std::string, std::size_t> column_of_;
  std::vector<Context> stack_;
  std::string key_;
  std::size_t row_ = 0;
  std::vector<bool> seen_;
  bool features_seen_ = false;
  bool players_seen_ = false;
  std::set<std::string> unknown_;
};

void append_number(std::string& out, double value) {
  char text[32];
  out.append(text, std::to_chars(text, text + sizeof text, value).ptr);
}

void append_member(std::string& out, const char* name, const std::string& value) {
  out += '"';
  out += name;
  out += "\":";
  out += json(value).dump();
  out += ',';
}

// The fast path: simdjson reads the body into a DOM at gigabytes per second, and the players are
// copied into the table. Any departure from a well-formed request (a parse error, an unknown,
// missing, repeated or non-number feature, too many players, ...) returns nothing, and the
// RequestReader reads the body again to name the fault.
std::optional<PredictionInput> read_well_formed(std::string_view body,
                                                const std::vector<std::string>& features,
                                                std::size_t max_players) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element document;
  simdjson::dom::array players;
  if (parser.parse(body.data(), body.size()).get(document) ||
      document["players"].get_array().get(players))
    return std::nullopt;
  const std::size_t rows = players.size();
  if (rows > max_players) return std::nullopt;
  std::unordered_map<std::string_view, std::size_t> column_of;
  for (std::size_t c = 0; c < features.size(); ++c) column_of.emplace(features[c], c);
  PredictionInput input;
  input.features.key_name = "player_id";
  input.features.column_names = features;
  input.features.columns.assign(features.size(), std::vector<double>(rows));
  input.features.keys.resize(rows);
  input.player_ids.reserve(rows);
  std::vector<std::size_t> seen_in_row(features.size(), rows);
  std::size_t row = 0;
  for (simdjson::dom::element player : players) {
    simdjson::dom::object values;
    if (player["features"].get_object().get(values)) return std::nullopt;
    std::size_t seen = 0;
    for (const simdjson::dom::key_value_pair field : values) {
      const auto column = column_of.find(field.key);
      if (column == column_of.end() || seen_in_row[column->second] == row) return std::nullopt;
      seen_in_row[column->second] = row;
      ++seen;
      double value = std::numeric_limits<double>::quiet_NaN();
      if (!field.value.is_null() && field.value.get_double().get(value)) return std::nullopt;
      if (std::fabs(value) > std::numeric_limits<float>::max()) return std::nullopt;
      input.features.columns[column->second][row] = value;
    }
    if (seen != features.size()) return std::nullopt;
    simdjson::dom::element id;
    if (player["player_id"].get(id)) {
      input.player_ids.push_back("null");
    } else if (id.is_string() || id.is_int64() || id.is_uint64()) {
      input.player_ids.push_back(simdjson::minify(id));
    } else {
      return std::nullopt;
    }
    ++row;
  }
  return input;
}

}  // namespace

PredictionInput parse_prediction_request(std::string_view body,
                                         const std::vector<std::string>& features,
                                         std::size_t max_players) {
  if (std::optional<PredictionInput> input = read_well_formed(body, features, max_players))
    return std::move(*input);
  PredictionInput input;
  RequestReader reader(features, max_players, input);
  json::sax_parse(body, &reader);
  reader.finish();
  return input;
}

std::string prediction_response(const ModelSnapshot& snapshot, const PredictionInput& input,
                                const spend::SpendPrediction& prediction) {
  std::string out = "{";
  append_member(out, "model", snapshot.model);
  append_member(out, "alias", snapshot.alias);
  out += "\"version\":" + std::to_string(snapshot.version) + ",";
  append_member(out, "content_hash", snapshot.content_hash);
  append_member(out, "model_spec", snapshot.model_spec);
  append_member(out, "label", snapshot.artifact.label);
  const std::string label_key = ",\"" + snapshot.artifact.label + "\":";
  out.reserve(out.size() + prediction.amount.size() * (label_key.size() + 48));
  out += "\"predictions\":[";
  for (std::size_t i = 0; i < prediction.amount.size(); ++i) {
    if (i) out += ',';
    out += "{\"player_id\":";
    out += input.player_ids[i];
    out += label_key;
    append_number(out, prediction.amount[i]);
    if (!prediction.payer.empty())
      out += prediction.payer[i] ? ",\"payer\":true" : ",\"payer\":false";
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace playsight::serve
