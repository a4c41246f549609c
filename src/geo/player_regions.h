#pragma once
// Player regions: where each player lives, and how much reaching that player is worth.
//
// Locations come as a CSV with player_id and either region_code (a code of the region set) or
// latitude and longitude (decimal degrees), which are mapped to the region with the nearest
// centroid. Nearest-centroid mapping is an approximation of "the region that contains the point"
// (it needs no boundaries, and it is exact for points well inside a region); a point farther than
// max_distance_km from every centroid is rejected rather than guessed.
//
// Weights say what a reached player is worth, from files playsight already writes, read as plain
// CSV (no spend headers): the predicted value (a column of `playsight predict`'s predictions.csv)
// or a segment from `playsight features`' features.csv:
//   payer         topup_count_last_30d > 0            paid in the last 30 days
//   lapsed_payer  topup_count_last_90d > 0 and topup_count_last_30d = 0
//   active        active_days_last_7d > 0             logged in during the last 7 days
// A player missing from the value or feature file gets weight 0 and is counted.
//
// Thread-safety: pure functions of their inputs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "geo/regions.h"

namespace playsight::geo {

struct PlayerLocations {
  std::string path;
  std::vector<std::string> player_ids;  // in file order
  std::vector<std::uint32_t> region;    // index into the RegionSet, per player
  bool from_coordinates = false;        // true for the latitude/longitude form
  double farthest_km = 0;               // coordinates form: largest distance to the centroid used
};

struct LocationReadOptions {
  double max_distance_km = 60;  // coordinates farther than this from every centroid: an error
};

// Reads player_id,region_code or player_id,latitude,longitude. Throws InputError naming the file
// for unknown region codes or unmappable points (with their count and the first line), repeated
// players (with both lines), bad values (file, line, column) and a file without rows.
PlayerLocations read_player_locations(const std::string& path, const RegionSet& regions,
                                      const LocationReadOptions& options = {});

enum class Target { kPlayers, kValue, kPayer, kLapsedPayer, kActive };
// "players", "value", "payer", "lapsed_payer", "active"; parse throws InputError for others.
std::string target_name(Target target);
Target parse_target(const std::string& name);

struct PlayerWeights {
  Target target = Target::kPlayers;
  std::string source;                // the file the weights come from ("" for players)
  std::string column;                // value column used
  std::vector<double> weight;        // per player of the locations, in their order
  std::size_t players_missing = 0;   // located players absent from the source file (weight 0)
  std::size_t players_weighted = 0;  // located players with a positive weight
};

// Weight 1 per player (target players).
PlayerWeights count_weights(const PlayerLocations& locations);
// The predicted value: `column` of a CSV keyed by player_id (empty column: the first whose name
// starts with "predicted_topup_amount"). Negative values are an error; empty ones count as 0.
PlayerWeights value_weights(const std::string& path, std::string column,
                            const PlayerLocations& locations);
// 1 for the players of the segment (payer, lapsed_payer or active), 0 for the others.
PlayerWeights segment_weights(const std::string& features_path, Target segment,
                              const PlayerLocations& locations);

// The weights summed per region (size regions.size()).
std::vector<double> weight_per_region(const PlayerLocations& locations,
                                      const PlayerWeights& weights, std::size_t region_count);

}  // namespace playsight::geo
