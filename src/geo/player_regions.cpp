#include "geo/player_regions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <unordered_map>

#include "core/csv_reader.h"
#include "core/error.h"

namespace playsight::geo {
namespace {

// The header of a CSV file (an error if the file lacks player_id).
std::vector<std::string> header_of(const std::string& path) {
  const CsvReader probe(path, {"player_id"});
  return probe.header();
}

bool has_column(const std::vector<std::string>& header, std::string_view name) {
  return std::find(header.begin(), header.end(), name) != header.end();
}

// Nearest centroid in a local equirectangular projection (exact enough to pick the nearest of
// centroids tens of km apart); the reported distance is the haversine one.
class NearestCentroid {
 public:
  explicit NearestCentroid(const RegionSet& regions) : regions_(regions) {}
  std::pair<std::uint32_t, double> find(double longitude, double latitude) const {
    const double shrink = std::cos(latitude * std::numbers::pi / 180);
    std::uint32_t best = 0;
    double best_squared = std::numeric_limits<double>::infinity();
    for (std::size_t r = 0; r < regions_.size(); ++r) {
      const double dx = (regions_.regions[r].longitude - longitude) * shrink;
      const double dy = regions_.regions[r].latitude - latitude;
      const double squared = dx * dx + dy * dy;
      if (squared < best_squared) {
        best_squared = squared;
        best = static_cast<std::uint32_t>(r);
      }
    }
    const Region& region = regions_.regions[best];
    return {best, haversine_km(longitude, latitude, region.longitude, region.latitude)};
  }

 private:
  const RegionSet& regions_;
};

// Rows that could not be placed: counted, the first kept for the message.
struct Rejected {
  std::size_t count = 0;
  std::uint64_t first_line = 0;
  std::string first_value;
  void add(std::uint64_t line, std::string value) {
    if (count++ == 0) {
      first_line = line;
      first_value = std::move(value);
    }
  }
};

std::unordered_map<std::string, std::size_t> player_index(const PlayerLocations& locations) {
  std::unordered_map<std::string, std::size_t> index;
  index.reserve(locations.player_ids.size());
  for (std::size_t p = 0; p < locations.player_ids.size(); ++p)
    index.emplace(locations.player_ids[p], p);
  return index;
}

// Reads a CSV keyed by player_id and gives each located player weight_of(row); players absent
// from the file keep weight 0 and are counted. Rows of players not located are ignored.
template <class WeightOf>
PlayerWeights weights_from_file(const std::string& path, std::vector<std::string_view> columns,
                                Target target, const PlayerLocations& locations,
                                WeightOf weight_of) {
  columns.insert(columns.begin(), "player_id");
  const CsvReader reader(path, std::move(columns));
  PlayerWeights weights;
  weights.target = target;
  weights.source = path;
  weights.weight.assign(locations.player_ids.size(), 0.0);
  std::vector<bool> seen(locations.player_ids.size(), false);
  const auto index = player_index(locations);
  CsvReadOptions options;
  options.threads = 1;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          const auto found = index.find(std::string(row.text(0)));
          if (found == index.end()) return;  // a player who lives nowhere we know: not a target
          weights.weight[found->second] = weight_of(row);
          seen[found->second] = true;
        };
      },
      options);
  for (std::size_t p = 0; p < seen.size(); ++p) {
    if (!seen[p]) ++weights.players_missing;
    if (weights.weight[p] > 0) ++weights.players_weighted;
  }
  return weights;
}

}  // namespace

PlayerLocations read_player_locations(const std::string& path, const RegionSet& regions,
                                      const LocationReadOptions& options) {
  PlayerLocations result;
  result.path = path;
  result.from_coordinates = !has_column(header_of(path), "region_code");
  const CsvReader reader = result.from_coordinates
                               ? CsvReader(path, {"player_id", "latitude", "longitude"})
                               : CsvReader(path, {"player_id", "region_code"});
  const NearestCentroid nearest(regions);
  std::unordered_map<std::string, std::uint64_t> line_of_player;
  Rejected rejected;
  CsvReadOptions read_options;
  read_options.threads = 1;  // file order: row r is on line r + 2
  std::uint64_t line = 1;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          ++line;
          const std::string player(row.text(0));
          if (player.empty()) row.fail(0, "a player id was expected, got an empty field");
          const auto [previous, fresh] = line_of_player.emplace(player, line);
          if (!fresh) {
            row.fail(0, "player " + quote_for_message(player) + " occurs twice (also on line " +
                            std::to_string(previous->second) + ")");
          }
          if (result.from_coordinates) {
            const double latitude = row.number(1), longitude = row.number(2);
            if (latitude < -90 || latitude > 90)
              row.fail(1, "a latitude in [-90, 90] was expected");
            if (longitude < -180 || longitude > 180)
              row.fail(2, "a longitude in [-180, 180] was expected");
            const auto [region, distance] = nearest.find(longitude, latitude);
            if (distance > options.max_distance_km) {
              char text[64];
              std::snprintf(text, sizeof text, "%.5f,%.5f", latitude, longitude);
              rejected.add(line, text);
              return;
            }
            result.farthest_km = std::max(result.farthest_km, distance);
            result.player_ids.push_back(player);
            result.region.push_back(region);
          } else {
            const std::string code(row.text(1));
            const std::int64_t region = regions.index_of(code);
            if (region < 0) {
              rejected.add(line, code);
              return;
            }
            result.player_ids.push_back(player);
            result.region.push_back(static_cast<std::uint32_t>(region));
          }
        };
      },
      read_options);
  if (rejected.count > 0) {
    if (result.from_coordinates) {
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g", options.max_distance_km);
      throw InputError(path + ": " + std::to_string(rejected.count) + " players lie farther than " +
                       limit + " km from every region centroid of " + regions.path +
                       " (first: line " + std::to_string(rejected.first_line) + ", " +
                       rejected.first_value + ")");
    }
    throw InputError(path + ": " + std::to_string(rejected.count) +
                     " rows have a region code that is not in " + regions.path + " (first: line " +
                     std::to_string(rejected.first_line) + ", code " +
                     quote_for_message(rejected.first_value) + ")");
  }
  if (result.player_ids.empty()) throw InputError(path + ": no players (no data rows)");
  return result;
}

std::string target_name(Target target) {
  switch (target) {
    case Target::kPlayers:
      return "players";
    case Target::kValue:
      return "value";
    case Target::kPayer:
      return "payer";
    case Target::kLapsedPayer:
      return "lapsed_payer";
    case Target::kActive:
      return "active";
  }
  return "?";
}

Target parse_target(const std::string& name) {
  for (Target t :
       {Target::kPlayers, Target::kValue, Target::kPayer, Target::kLapsedPayer, Target::kActive}) {
    if (target_name(t) == name) return t;
  }
  throw InputError("--target: expected players, value, payer, lapsed_payer or active, got " +
                   quote_for_message(name));
}

PlayerWeights count_weights(const PlayerLocations& locations) {
  PlayerWeights weights;
  weights.weight.assign(locations.player_ids.size(), 1.0);
  weights.players_weighted = weights.weight.size();
  return weights;
}

PlayerWeights value_weights(const std::string& path, std::string column,
                            const PlayerLocations& locations) {
  if (column.empty()) {
    for (const std::string& name : header_of(path)) {
      if (name.starts_with("predicted_topup_amount")) {
        column = name;
        break;
      }
    }
    if (column.empty()) {
      throw InputError(path +
                       ": no column named predicted_topup_amount_*: name the value column with "
                       "--value-column");
    }
  }
  PlayerWeights weights =
      weights_from_file(path, {column}, Target::kValue, locations, [](const CsvRow& row) {
        const double value = row.text(1).empty() ? 0.0 : row.number(1);
        if (value < 0) row.fail(1, "a non-negative value was expected");
        return value;
      });
  weights.column = column;
  return weights;
}

PlayerWeights segment_weights(const std::string& features_path, Target segment,
                              const PlayerLocations& locations) {
  if (segment != Target::kPayer && segment != Target::kLapsedPayer && segment != Target::kActive)
    throw InputError("segment_weights: " + target_name(segment) + " is not a segment");
  return weights_from_file(
      features_path, {"topup_count_last_30d", "topup_count_last_90d", "active_days_last_7d"},
      segment, locations, [segment](const CsvRow& row) {
        const bool paid_30 = row.number(1) > 0, paid_90 = row.number(2) > 0;
        const bool active = row.number(3) > 0;
        const bool member = segment == Target::kPayer         ? paid_30
                            : segment == Target::kLapsedPayer ? paid_90 && !paid_30
                                                              : active;
        return member ? 1.0 : 0.0;
      });
}

std::vector<double> weight_per_region(const PlayerLocations& locations,
                                      const PlayerWeights& weights, std::size_t region_count) {
  std::vector<double> total(region_count, 0.0);
  for (std::size_t p = 0; p < locations.region.size(); ++p)
    total[locations.region[p]] += weights.weight[p];
  return total;
}

}  // namespace playsight::geo
