// Regions, player locations and weights, and the simulated placement of players.
#include "geo/regions.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../support/checks.h"
#include "../support/temp_dir.h"
#include "geo/player_placement.h"
#include "geo/player_regions.h"

namespace playsight::geo {
namespace {

using playsight::testing::input_error_of;

const std::string kMunicipalities = PLAYSIGHT_SOURCE_DIR "/data/korea/municipalities.csv";

TEST(Regions, ReadsTheMunicipalities) {
  const RegionSet regions = read_regions(kMunicipalities);
  ASSERT_EQ(regions.size(), 250u);
  EXPECT_EQ(regions.without_population,
            (std::vector<std::string>{"29010", "33041", "33042", "33043", "33044"}));
  double population = 0;
  for (const Region& region : regions.regions)
    if (region.has_population()) population += region.population;
  EXPECT_DOUBLE_EQ(population, 47'106'100);  // as the data's README verifies
  const Region& jongno = regions.regions[regions.index_of("11010")];
  EXPECT_EQ(jongno.name, "종로구");
  EXPECT_DOUBLE_EQ(jongno.area_km2, 24.00);
  EXPECT_EQ(regions.index_of("99999"), -1);
}

TEST(Regions, HaversineDistances) {
  // Seoul city hall to Busan city hall: about 325 km.
  EXPECT_NEAR(haversine_km(126.9780, 37.5665, 129.0756, 35.1796), 325, 2);
  EXPECT_NEAR(haversine_km(0, 0, 0, 1), 111.19, 0.01);
  EXPECT_DOUBLE_EQ(haversine_km(127, 37, 127, 37), 0);
}

TEST(Regions, BadRowsNameFileLineAndColumn) {
  testing::TempDir dir;
  const std::string header = "code,name,centroid_lon,centroid_lat,area_km2,population_2010\n";
  const auto error_of = [&](const std::string& body) {
    const std::string path = dir.write("r.csv", header + body);
    return input_error_of([&] { read_regions(path); });
  };
  const std::string path = dir.file("r.csv");
  EXPECT_EQ(error_of("1,a,127,37,10,5\n1,b,127,37,10,5\n"),
            path + ":3: column 'code': region code '1' occurs twice (also on line 2)");
  EXPECT_EQ(error_of("1,a,227,37,10,5\n"),
            path + ":2: column 'centroid_lon': a longitude in [-180, 180] was expected");
  EXPECT_EQ(error_of("1,a,127,37,0,5\n"),
            path + ":2: column 'area_km2': a positive area in km² was expected");
  EXPECT_EQ(error_of(""), path + ": no regions (no data rows)");
  // An empty population is kept and counted.
  const RegionSet set =
      read_regions(dir.write("ok.csv", header + "1,a,127,37,10,\n2,b,128,36,5,7\n"));
  EXPECT_EQ(set.without_population, std::vector<std::string>{"1"});
  EXPECT_FALSE(set.regions[0].has_population());
}

TEST(PlayerLocations, ByCodeOrByCoordinates) {
  testing::TempDir dir;
  const RegionSet regions = read_regions(kMunicipalities);
  const PlayerLocations by_code = read_player_locations(
      dir.write("a.csv", "player_id,region_code\n7,11010\n8,21010\n"), regions);
  EXPECT_EQ(by_code.player_ids, (std::vector<std::string>{"7", "8"}));
  EXPECT_EQ(regions.regions[by_code.region[1]].code, "21010");
  EXPECT_FALSE(by_code.from_coordinates);
  // Jongno-gu's own centroid, and a point 2 km off it.
  const PlayerLocations by_point = read_player_locations(
      dir.write("b.csv", "player_id,latitude,longitude\n1,37.59492,126.97730\n2,37.612,126.977\n"),
      regions);
  EXPECT_TRUE(by_point.from_coordinates);
  EXPECT_EQ(regions.regions[by_point.region[0]].code, "11010");
  EXPECT_LT(by_point.farthest_km, 5);
}

TEST(PlayerLocations, UnknownCodesFarPointsAndRepeatsAreErrors) {
  testing::TempDir dir;
  const RegionSet regions = read_regions(kMunicipalities);
  const std::string unknown =
      dir.write("u.csv", "player_id,region_code\n1,11010\n2,99999\n3,11020\n4,00000\n5,ABC\n");
  EXPECT_EQ(input_error_of([&] { read_player_locations(unknown, regions); }),
            unknown + ": 3 rows have a region code that is not in " + kMunicipalities +
                " (first: line 3, code '99999')");
  const std::string far = dir.write("f.csv", "player_id,latitude,longitude\n1,37.5,127\n2,0,0\n");
  EXPECT_EQ(input_error_of([&] { read_player_locations(far, regions); }),
            far + ": 1 players lie farther than 60 km from every region centroid of " +
                kMunicipalities + " (first: line 3, 0.00000,0.00000)");
  const std::string twice = dir.write("t.csv", "player_id,region_code\n1,11010\n1,11020\n");
  EXPECT_EQ(input_error_of([&] { read_player_locations(twice, regions); }),
            twice + ":3: column 'player_id': player '1' occurs twice (also on line 2)");
}

TEST(PlayerWeights, ValuesAndSegmentsWithMissingPlayersCounted) {
  testing::TempDir dir;
  const RegionSet regions = read_regions(kMunicipalities);
  const PlayerLocations locations = read_player_locations(
      dir.write("p.csv", "player_id,region_code\n1,11010\n2,11010\n3,21010\n4,21010\n"), regions);
  const PlayerWeights values = value_weights(
      dir.write("v.csv",
                "player_id,predicted_payer,predicted_topup_amount_30d\n1,0.5,1000\n3,0.1,\n"
                "9,0.9,500\n"),
      "", locations);
  EXPECT_EQ(values.column, "predicted_topup_amount_30d");
  EXPECT_EQ(values.weight, (std::vector<double>{1000, 0, 0, 0}));
  EXPECT_EQ(values.players_missing, 2u);  // players 2 and 4
  EXPECT_EQ(values.players_weighted, 1u);
  const std::vector<double> per_region = weight_per_region(locations, values, regions.size());
  EXPECT_DOUBLE_EQ(per_region[regions.index_of("11010")], 1000);

  const std::string features =
      dir.write("f.csv",
                "player_id,topup_count_last_30d,topup_count_last_90d,active_days_last_7d\n"
                "1,2,3,1\n2,0,1,0\n3,0,0,4\n");
  EXPECT_EQ(segment_weights(features, Target::kPayer, locations).weight,
            (std::vector<double>{1, 0, 0, 0}));
  EXPECT_EQ(segment_weights(features, Target::kLapsedPayer, locations).weight,
            (std::vector<double>{0, 1, 0, 0}));
  const PlayerWeights active = segment_weights(features, Target::kActive, locations);
  EXPECT_EQ(active.weight, (std::vector<double>{1, 0, 1, 0}));
  EXPECT_EQ(active.players_missing, 1u);
  EXPECT_EQ(input_error_of([] { parse_target("whales"); }),
            "--target: expected players, value, payer, lapsed_payer or active, got 'whales'");
}

TEST(PlayerPlacement, FollowsPopulationAndYoungerPlayersAreMoreUrban) {
  const RegionSet regions = read_regions(kMunicipalities);
  PlayersToPlace players;
  for (std::int64_t id = 1; id <= 60'000; ++id) {
    players.player_ids.push_back(id);
    players.ages.push_back(id % 2 == 0 ? 22 : 55);
  }
  const std::vector<std::uint32_t> home = place_players(regions, players, 42);
  EXPECT_EQ(home, place_players(regions, players, 42));  // deterministic
  // Share living in Seoul (province 11): population share for the old, more for the young.
  double seoul_population = 0, population = 0;
  for (const Region& region : regions.regions) {
    if (!region.has_population()) continue;
    population += region.population;
    if (region.code.starts_with("11")) seoul_population += region.population;
  }
  double young_in_seoul = 0, old_in_seoul = 0;
  for (std::size_t p = 0; p < home.size(); ++p) {
    EXPECT_TRUE(regions.regions[home[p]].has_population());
    if (regions.regions[home[p]].code.starts_with("11"))
      (p % 2 == 1 ? young_in_seoul : old_in_seoul) += 1;
  }
  const double old_share = old_in_seoul / 30'000, young_share = young_in_seoul / 30'000;
  EXPECT_NEAR(old_share, seoul_population / population, 0.01);  // 20.6 %
  EXPECT_GT(young_share, old_share + 0.05);
}

}  // namespace
}  // namespace playsight::geo
