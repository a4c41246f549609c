// Drives the real playsight binary: exit codes (0 ok, 2 bad input), one-line messages, outputs.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/checks.h"
#include "../support/temp_dir.h"
#include "core/table.h"

namespace playsight {
namespace {

using testing::CommandRun;

CommandRun run(const std::string& arguments) {
  return testing::run_playsight(arguments);
}

void write_small_log(const testing::TempDir& dir) {
  dir.write("players.csv",
            "player_id,gender,age,signup_date\n1,F,25,2026-01-15\n2,M,40,2026-09-20\n");
  dir.write(
      "topups.csv",
      "player_id,topup_time,amount_krw\n1,2026-09-25 12:00:00,5500\n1,2026-10-30 12:00:00,1100\n");
  dir.write("logins.csv", "player_id,login_time,play_seconds\n2,2026-09-30 10:00:00,120\n");
}

TEST(FeaturesCli, WritesTableReportAndSummary) {
  testing::TempDir dir;
  write_small_log(dir);
  const CommandRun result =
      run("features --logs " + dir.path() + " --cutoff 2026-10-01 --out " + dir.file("out/f.csv"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("2 players x"), std::string::npos) << result.output;
  const Table table = read_table_csv(dir.file("out/f.csv"));
  EXPECT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.column("topup_amount_last_7d")[0], 5500);
  EXPECT_EQ(table.column("play_minutes_last_7d")[1], 2);
  EXPECT_EQ(table.column("topup_amount_next_30d")[0], 1100);
  EXPECT_TRUE(std::filesystem::exists(dir.file("out/f.report.json")));
}

TEST(FeaturesCli, BadInputExitsWithTwoAndOneLine) {
  testing::TempDir dir;
  write_small_log(dir);
  dir.write("topups.csv", "player_id,topup_time,amount_krw\n1,2026-09-25 12:00:00,5,500\n");
  CommandRun result =
      run("features --logs " + dir.path() + " --cutoff 2026-10-01 --out " + dir.file("f.csv"));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.output,
            "playsight: error: " + dir.file("topups.csv") +
                ":2: expected 3 fields (player_id,topup_time,amount_krw), found 4\n");
  result = run("features --logs " + dir.file("missing") + " --cutoff 2026-10-01");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("missing: no such folder"), std::string::npos);
  result = run("features --logs " + dir.path() + " --cutoff 2026-02-30");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("--cutoff: expected a date YYYY-MM-DD, got '2026-02-30'"),
            std::string::npos);
  result = run("features --logs " + dir.path() + " --cutoff 2026-10-01 --windows 7,x");
  EXPECT_EQ(result.exit_code, 2);
  result = run("features --transactions " + dir.file("nope.csv") + " --cutoff 2026-10-01");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.output, "playsight: error: " + dir.file("nope.csv") +
                               ": cannot open: No such file or directory\n");
  result = run("features --bogus");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("--bogus"), std::string::npos);
}

TEST(FeaturesCli, ListPrintsEveryFeatureWithItsDefinition) {
  const CommandRun result = run("features --list --item-components 3");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("days_since_last_login"), std::string::npos);
  EXPECT_NE(result.output.find("item_group_3_purchases"), std::string::npos);
  EXPECT_EQ(result.output.find("item_group_4_purchases"), std::string::npos);
  EXPECT_NE(result.output.find("topup_amount_next_30d"), std::string::npos);
  const CommandRun help = run("features --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--skip-bad-rows"), std::string::npos);
}

}  // namespace
}  // namespace playsight
