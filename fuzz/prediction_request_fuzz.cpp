// Prediction bodies (serve/prediction_request.h), straight to the parser (the serve_routes
// harness reaches it through the route and a real model, at a fraction of the speed). Any bytes
// are read or refused with an HttpError 400 (413 for too many players). What is read has one
// value per player in every feature column, and the answer written from it is valid JSON with one
// prediction per player and the player ids as given.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_support.h"
#include "http/http_error.h"
#include "serve/prediction_request.h"

namespace playsight::fuzz {
namespace {

const std::vector<std::string> kFeatures = {"topup_amount_last_30d", "active_days_last_7d", "age"};
constexpr std::size_t kMaxPlayers = 20;

void check(std::string_view body) {
  serve::PredictionInput input;
  try {
    input = serve::parse_prediction_request(body, kFeatures, kMaxPlayers);
  } catch (const http::HttpError& error) {
    require(error.status() == 400 || error.status() == 413,
            "a prediction body refused with status " + std::to_string(error.status()));
    return;
  } catch (...) {
    finding("an undocumented exception escaped: " + current_exception_text());
  }
  const std::size_t rows = input.player_ids.size();
  require(rows <= kMaxPlayers, "more players read than the limit");
  require(input.features.column_names == kFeatures, "the feature columns are not the model's");
  require(input.features.columns.size() == kFeatures.size(), "a feature column is missing");
  for (const auto& column : input.features.columns)
    require(column.size() == rows, "a feature column's length differs from the players'");
  serve::ModelSnapshot snapshot;
  snapshot.model = "spend";
  snapshot.alias = "production";
  snapshot.version = 1;
  snapshot.artifact.label = "topup_amount_next_30d";
  spend::SpendPrediction prediction;
  prediction.amount.assign(rows, 1.5);
  prediction.payer.assign(rows, 1);
  const std::string answer = serve::prediction_response(snapshot, input, prediction);
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(answer);
  } catch (const nlohmann::json::exception& error) {
    finding(std::string("the answer is not JSON: ") + error.what() + "\n" + answer);
  }
  require(parsed.at("predictions").size() == rows, "the answer has another number of players");
  for (std::size_t r = 0; r < rows; ++r)
    require(parsed["predictions"][r]["player_id"] == nlohmann::json::parse(input.player_ids[r]),
            "player " + std::to_string(r) + "'s id changed in the answer");
}

}  // namespace
}  // namespace playsight::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  playsight::fuzz::check(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
