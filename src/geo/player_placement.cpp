#include "geo/player_placement.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/csv_reader.h"
#include "core/error.h"
#include "core/random.h"
#include "core/table.h"

namespace playsight::geo {
namespace {

constexpr std::uint64_t kPlacementStream = 0x6e6f6967'6572ULL;  // "region" purpose key
constexpr std::array<double, 3> kSkews{0.5, 0.25, 0.0};

std::size_t age_band(double age) {
  return age < 30 ? 0 : age < 45 ? 1 : 2;
}

}  // namespace

double urban_skew(double age) {
  return kSkews[age_band(age)];
}

PlayersToPlace read_players_to_place(const std::string& path) {
  const CsvReader reader(path, {"player_id", "age"});
  PlayersToPlace players;
  CsvReadOptions options;
  options.threads = 1;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          const std::int64_t id = row.integer(0);
          if (id <= 0) row.fail(0, "a positive player id was expected");
          const double age = row.number(1);
          if (age < 0 || age > 150) row.fail(1, "an age in years (0 .. 150) was expected");
          players.player_ids.push_back(id);
          players.ages.push_back(age);
        };
      },
      options);
  if (players.player_ids.empty()) throw InputError(path + ": no players (no data rows)");
  return players;
}

std::vector<std::uint32_t> place_players(const RegionSet& regions, const PlayersToPlace& players,
                                         std::uint64_t seed) {
  std::vector<double> densities;
  for (const Region& region : regions.regions)
    if (region.has_population() && region.population > 0) densities.push_back(region.density());
  if (densities.empty())
    throw InputError(regions.path + ": no region has a population to place players by");
  std::nth_element(densities.begin(), densities.begin() + densities.size() / 2, densities.end());
  const double median_density = densities[densities.size() / 2];
  std::vector<AliasTable> tables;
  for (double skew : kSkews) {
    std::vector<double> weights;
    for (const Region& region : regions.regions) {
      const bool populated = region.has_population() && region.population > 0;
      weights.push_back(
          populated ? region.population * std::pow(region.density() / median_density, skew) : 0.0);
    }
    tables.emplace_back(weights);
  }
  std::vector<std::uint32_t> region(players.player_ids.size());
  for (std::size_t p = 0; p < region.size(); ++p) {
    Rng rng(seed, static_cast<std::uint64_t>(players.player_ids[p]), kPlacementStream);
    region[p] = static_cast<std::uint32_t>(tables[age_band(players.ages[p])].sample(rng));
  }
  return region;
}

void write_player_regions(const std::string& path, const RegionSet& regions,
                          const PlayersToPlace& players, const std::vector<std::uint32_t>& region) {
  std::string text = "player_id,region_code\n";
  text.reserve(players.player_ids.size() * 16);
  for (std::size_t p = 0; p < region.size(); ++p) {
    text += std::to_string(players.player_ids[p]);
    text += ',';
    text += regions.regions[region[p]].code;
    text += '\n';
  }
  write_file(path, text);
}

}  // namespace playsight::geo
