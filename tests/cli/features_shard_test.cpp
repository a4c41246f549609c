// playsight features --shard INDEX/COUNT, as the Kubernetes Indexed Job runs it (one shard per
// pod): the shards' rows are disjoint, together they are one run's rows, byte for byte, item
// groups included (fitted on every player in each shard); bad shards are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight {
namespace {

// The header and the data lines of a CSV file.
std::pair<std::string, std::vector<std::string>> csv_lines(const std::string& file) {
  std::ifstream in(file);
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  return {header, lines};
}

TEST(FeaturesShards, ConcatenatedShardsAreOneRun) {
  testing::TempDir dir;
  const std::string logs = dir.file("logs");
  ASSERT_EQ(testing::run_playsight("generate --players 3000 --seed 4 --out " + logs).exit_code, 0);
  const auto whole = testing::run_playsight("features --progress never --threads 1 --logs " + logs +
                                            " --out " + dir.file("all.csv"));
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  const auto [header, all_rows] = csv_lines(dir.file("all.csv"));

  std::vector<std::string> shard_rows;
  for (int shard = 0; shard < 3; ++shard) {
    const std::string out = dir.file("shard-" + std::to_string(shard) + ".csv");
    const auto run =
        testing::run_playsight("features --progress never --threads 1 --logs " + logs +
                               " --shard " + std::to_string(shard) + "/3 --out " + out);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto [shard_header, rows] = csv_lines(out);
    EXPECT_EQ(shard_header, header);
    EXPECT_GT(rows.size(), all_rows.size() / 5);  // an even-ish split
    shard_rows.insert(shard_rows.end(), rows.begin(), rows.end());
  }
  std::vector<std::string> expected = all_rows;
  std::sort(expected.begin(), expected.end());
  std::sort(shard_rows.begin(), shard_rows.end());
  EXPECT_EQ(shard_rows.size(), expected.size());
  EXPECT_TRUE(shard_rows == expected);

  const auto bad = testing::run_playsight("features --logs " + logs + " --shard 3/3");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("--shard 3/3: expected INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 0/8"),
            std::string::npos)
      << bad.output;
  EXPECT_EQ(testing::run_playsight("features --logs " + logs + " --shard half").exit_code, 2);
}

}  // namespace
}  // namespace playsight
