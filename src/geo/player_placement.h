#pragma once
// Player placement: puts the players of `playsight generate` (players.csv: player_id, age) in the
// regions of a region set, for simulations and demos. It extends the generator without touching
// its files: the result is a separate player_regions.csv (player_id, region_code).
//
// The rule: a player of age a lives in region r with probability proportional to
//     population_r * (density_r / median density) ^ urban_skew(a)
// with urban_skew = 0.5 under 30, 0.25 from 30 to 44 and 0 from 45: players follow the population,
// and the younger they are the more they concentrate in dense (urban) regions, as a mobile game's
// players do. Regions without a population get no players.
//
// Determinism: a player's region depends only on the seed, the player id and the age (its own
// random stream, keyed by (seed, player id)); any order or split of the players gives the same.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/regions.h"

namespace playsight::geo {

struct PlayersToPlace {
  std::vector<std::int64_t> player_ids;
  std::vector<double> ages;  // years
};

// Reads player_id (positive integer) and age from a players.csv. Errors name file, line, column.
PlayersToPlace read_players_to_place(const std::string& path);

// The exponent of the density factor for a player of this age (see above).
double urban_skew(double age);

// The region index of each player. Throws InputError when no region has a population.
std::vector<std::uint32_t> place_players(const RegionSet& regions, const PlayersToPlace& players,
                                         std::uint64_t seed);

// Writes player_id,region_code rows.
void write_player_regions(const std::string& path, const RegionSet& regions,
                          const PlayersToPlace& players, const std::vector<std::uint32_t>& region);

}  // namespace playsight::geo
