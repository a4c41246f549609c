#pragma once
// The prediction API's body, in and out. A request names players and their features:
//
//   {"players": [{"player_id": "p1", "features": {"topup_amount_30d": 0, ...}}, ...]}
//
// Every feature of the model must be given (a model has no sensible default for a missing one),
// as a number, or null for a missing value (as an empty field of a feature CSV). Anything else is
// an HttpError 400 whose message names what is wrong and where:
//   - not JSON: the parser's message with the line and column;
//   - no "players" array, or more players than the limit (then 413);
//   - players[i] not an object, without "features", or a player_id that is not a string or an
//     integer;
//   - feature names the model does not know (every one, sorted; a typo is named, not ignored);
//   - features the model needs that are absent (players[i] and the missing names);
//   - a value that is not a number or null (players[i].features.NAME and its JSON type).
// The answer carries the version it was computed with:
//
//   {"model": "spend", "alias": "production", "version": 3, "content_hash": "...",
//    "model_spec": "ensemble_model", "label": "topup_amount_next_30d",
//    "predictions": [{"player_id": "p1", "topup_amount_next_30d": 1234.5}, ...]}
//
// (with "payer": true/false per player for models with a classifier stage). Other members of the
// body and of each player are ignored. A well-formed body is read by simdjson (a 1,000-player body
// of about 1 MB in about a millisecond); any other is read again by nlohmann's SAX parser, which
// finds and names the fault.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/table.h"
#include "serve/model_slot.h"
#include "spend/models/spend_model.h"

namespace playsight::serve {

struct PredictionInput {
  std::vector<std::string> player_ids;  // as JSON text: "p1" (quoted), 17, or null if absent
  Table features;                       // the model's features, in its order
};

// Throws HttpError (400, or 413 for too many players) as described above.
PredictionInput parse_prediction_request(std::string_view body,
                                         const std::vector<std::string>& features,
                                         std::size_t max_players);

// The answer's JSON text.
std::string prediction_response(const ModelSnapshot& snapshot, const PredictionInput& input,
                                const spend::SpendPrediction& prediction);

}  // namespace playsight::serve
