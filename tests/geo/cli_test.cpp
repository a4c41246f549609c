// The real `playsight geo` commands: a selection with its reports, a simulated campaign measured
// and planned for, and every bad input named in issue 11 (exit code 2 and a clear message, or a
// stated handling with counts).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight::geo {
namespace {

using playsight::testing::run_playsight;

const std::string kMunicipalities = PLAYSIGHT_SOURCE_DIR "/data/korea/municipalities.csv";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// players.csv as `playsight generate` writes it (the columns simulate-players reads).
std::string write_players(const testing::TempDir& dir, int count) {
  std::string text = "player_id,gender,age,signup_date\n";
  for (int id = 1; id <= count; ++id)
    text += std::to_string(id) + ",U," + std::to_string(15 + id % 45) + ",2026-01-01\n";
  return dir.write("players.csv", text);
}

TEST(GeoCli, SelectWritesTheRankedListCurveMapAndTheGapToTheOptimum) {
  testing::TempDir dir;
  const std::string players = write_players(dir, 5000);
  const auto placed =
      run_playsight("geo simulate-players --regions " + kMunicipalities + " --players " + players +
                    " --out " + dir.file("player_regions.csv"));
  ASSERT_EQ(placed.exit_code, 0) << placed.output;
  EXPECT_NE(placed.output.find("Placed 5000 players in"), std::string::npos);
  EXPECT_NE(placed.output.find("(5 regions without population get none)"), std::string::npos);

  std::string sites = "site_id,cost,longitude,latitude,radius_km\n";
  sites += "seoul,5,126.9780,37.5665,15\nbusan,3,129.0756,35.1796,15\n";
  sites += "daegu,2,128.6014,35.8714,10\nsea,1,125.0,33.0,5\n";
  const auto run =
      run_playsight("geo select --regions " + kMunicipalities + " --players " +
                    dir.file("player_regions.csv") + " --sites " + dir.write("sites.csv", sites) +
                    " --budget 8 --exact --out " + dir.file("select"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("250 regions (5 without population), 4 sites"), std::string::npos);
  EXPECT_NE(run.output.find("1 sites reach no region centroid"), std::string::npos);
  EXPECT_NE(run.output.find("greedy / optimum = "), std::string::npos);
  const auto json = nlohmann::json::parse(read_text(dir.file("select/selection.json")));
  EXPECT_TRUE(json["exact"]["optimal"].get<bool>());
  EXPECT_DOUBLE_EQ(json["greedy"]["guarantee"].get<double>(), 0.31606027941427883);
  // Seoul (5) and Busan (3) fill the budget of 8 and reach the most players.
  EXPECT_EQ(json["recommended"][0]["site_id"], "seoul");
  EXPECT_EQ(json["recommended"][1]["site_id"], "busan");
  EXPECT_EQ(json["coverage_curve"].size(), 20u);
  const std::string csv = read_text(dir.file("select/selection.csv"));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "rank,site_id,cost,weight_added,weight_reached,cost_spent,share_of_total,regions");
  const std::string html = read_text(dir.file("select/selection.html"));
  EXPECT_NE(html.find("<svg class=\"map\""), std::string::npos);
  EXPECT_NE(html.find("종로구 (11010)"), std::string::npos);
  EXPECT_FALSE(read_text(dir.file("select/selected_regions.txt")).empty());
}

TEST(GeoCli, LiftAndDesignOnASimulatedCampaign) {
  testing::TempDir dir;
  const auto simulated =
      run_playsight("geo simulate-campaign --regions " + kMunicipalities +
                    " --treated-count 25 --lift 0.1 --seed 3 --out " + dir.file("campaign"));
  ASSERT_EQ(simulated.exit_code, 0) << simulated.output;
  const auto lift = run_playsight("geo lift --kpi " + dir.file("campaign/kpi.csv") + " --treated " +
                                  dir.file("campaign/treated_regions.txt") +
                                  " --start 2026-10-01 --out " + dir.file("lift"));
  ASSERT_EQ(lift.exit_code, 0) << lift.output;
  EXPECT_NE(lift.output.find("5 regions left out: KPI 0"), std::string::npos);  // no population
  const auto json = nlohmann::json::parse(read_text(dir.file("lift/lift.json")));
  EXPECT_LE(json["estimate"]["lift_low"].get<double>(), 0.1);
  EXPECT_GE(json["estimate"]["lift_high"].get<double>(), 0.1);
  EXPECT_TRUE(json["estimate"]["significant"].get<bool>());
  EXPECT_EQ(json["estimate"]["treated_regions"], 25);
  EXPECT_NE(read_text(dir.file("lift/lift.html")).find("placebo: untreated regions"),
            std::string::npos);
  const auto design =
      run_playsight("geo design --kpi " + dir.file("campaign/kpi.csv") +
                    " --treated-count 20 --post-days 14 --out " + dir.file("design"));
  ASSERT_EQ(design.exit_code, 0) << design.output;
  EXPECT_NE(design.output.find("Smallest detectable lift over 14 days: +"), std::string::npos);
  EXPECT_NE(design.output.find("20 treated, 225 control regions (5 left out"), std::string::npos);
}

TEST(GeoCli, BadInputsExitTwoWithClearMessages) {
  testing::TempDir dir;
  // Unknown region codes: counted, with the first line.
  const std::string players =
      dir.write("p.csv", "player_id,region_code\n1,11010\n2,11999\n3,12345\n");
  auto run = run_playsight("geo select --regions " + kMunicipalities + " --players " + players +
                           " --budget 3 --out " + dir.file("o"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find(players + ": 2 rows have a region code that is not in " +
                            kMunicipalities + " (first: line 3, code '11999')"),
            std::string::npos)
      << run.output;
  // A budget below the cheapest site.
  const std::string good = dir.write("g.csv", "player_id,region_code\n1,11010\n2,21010\n");
  run = run_playsight("geo select --regions " + kMunicipalities + " --players " + good +
                      " --region-cost 5 --budget 2 --out " + dir.file("o"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("--budget: 2 is below the cheapest site's cost (5)"), std::string::npos)
      << run.output;
  // Regions without population: real players there still count; the run says how many.
  const std::string sejong = dir.write("s.csv", "player_id,region_code\n1,29010\n2,29010\n");
  run = run_playsight("geo select --regions " + kMunicipalities + " --players " + sejong +
                      " --budget 1 --out " + dir.file("s"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("250 regions (5 without population)"), std::string::npos);
  EXPECT_EQ(read_text(dir.file("s/selected_regions.txt")), "29010\n");
  // A KPI series with gaps: an error naming the region and dates, or dropped and counted.
  std::string kpi = "region_code,date,value\n";
  for (const std::string code : {"11010", "11020", "11030", "11040", "11050", "11060"})
    for (int d = 1; d <= 20; ++d)
      if (!(code == "11030" && (d == 12 || d == 13)))
        kpi += code + ",2026-09-" + (d < 10 ? "0" : "") + std::to_string(d) + "," +
               std::to_string(100 + d % 3) + "\n";
  const std::string kpi_path = dir.write("kpi.csv", kpi);
  const std::string treated = dir.write("t.txt", "11010\n11020\n");
  run = run_playsight("geo lift --kpi " + kpi_path + " --treated " + treated +
                      " --start 2026-09-15 --out " + dir.file("l"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find(kpi_path +
                            ": region '11030' has no value for 2 of the 20 dates 2026-09-01 .. "
                            "2026-09-20 (first missing: 2026-09-12)"),
            std::string::npos)
      << run.output;
  run = run_playsight("geo lift --kpi " + kpi_path + " --treated " + treated +
                      " --start 2026-09-15 --gaps drop-region --out " + dir.file("l"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("1 regions left out for gaps in their series (18 values; first "
                            "11030)"),
            std::string::npos);
  // Treated regions that are not in the KPI file.
  run = run_playsight("geo lift --kpi " + kpi_path + " --treated " +
                      dir.write("u.txt", "11010\n99999\n") +
                      " --start 2026-09-15 --gaps drop-region --out " + dir.file("l"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("1 treated regions are not in " + kpi_path + " (first: '99999')"),
            std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace playsight::geo
