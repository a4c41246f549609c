#include "spend/features.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "../support/temp_dir.h"
#include "core/error.h"
#include "gamelog/log_folder.h"
#include "spend/feature_catalog.h"

namespace playsight::spend {
namespace {

using testing::TempDir;

// A tiny game log whose features were computed by hand (see the comments beside each value).
// Cutoff 2026-10-01 00:00:00; observation window 90 days = [2026-07-03, 2026-10-01);
// label window 30 days = [2026-10-01, 2026-10-31).
void write_tiny_log(const TempDir& dir) {
  dir.write("players.csv",
            "player_id,gender,age,signup_date\n"
            "1,F,25,2026-01-15\n"
            "2,M,40,2026-09-20\n"
            "3,U,30,2026-10-05\n");  // signs up after the cutoff: not in the table
  dir.write("items.csv",
            "item_id,category,price_krw,is_main,is_high_value\n"
            "A,costume,10000,1,0\n"
            "B,weapon,50000,0,1\n"
            "C,gacha,3000,0,0\n");
  dir.write("logins.csv",
            "player_id,login_time,play_seconds\n"
            "1,2026-09-30 23:59:59,600\n"    // day before the cutoff
            "1,2026-09-30 10:00:00,1200\n"   // same day
            "1,2026-09-24 00:00:00,300\n"    // exactly 7 days before: inside the 7-day window
            "1,2026-09-23 23:59:59,60\n"     // one second earlier: 30-day window only
            "1,2026-07-03 00:00:00,30\n"     // first second of the 90-day window
            "1,2026-07-02 23:59:59,999\n"    // before the window: ignored
            "1,2026-10-05 12:00:00,999\n"    // after the cutoff: no feature counts it
            "1,2026-11-01 00:00:00,999\n");  // after the label window: ignored
  dir.write("topups.csv",
            "player_id,topup_time,amount_krw\n"
            "1,2026-09-25 12:00:00,5500\n"
            "1,2026-08-15 08:00:00,33000\n"
            "1,2026-10-03 09:00:00,11000\n"  // label
            "1,2026-10-30 23:59:59,1100\n"   // label: last second of the label window
            "1,2026-10-31 00:00:00,55000\n"  // after the label window
            "2,2026-09-21 00:00:01,3300\n");
  dir.write("purchases.csv",
            "player_id,purchase_time,item_id,price_krw\n"
            "1,2026-09-28 10:00:00,A,8000\n"
            "1,2026-09-10 10:00:00,B,50000\n"
            "1,2026-06-01 10:00:00,C,3000\n"  // before the window
            "2,2026-09-29 10:00:00,C,3000\n"
            "2,2026-09-29 11:00:00,C,3000\n");
  dir.write("shop_visits.csv",
            "player_id,visit_time\n"
            "1,2026-09-28 10:00:00\n"
            "1,2026-09-28 11:00:00\n"
            "1,2026-09-10 09:00:00\n");
}

FeatureOptions tiny_options() {
  FeatureOptions options;
  options.cutoff = parse_date("2026-10-01");
  options.item_groups = false;
  options.progress = false;
  return options;
}

std::map<std::string, double> row_of(const Table& table, const std::string& key) {
  for (std::size_t r = 0; r < table.rows(); ++r) {
    if (table.keys[r] != key) continue;
    std::map<std::string, double> values;
    for (std::size_t c = 0; c < table.column_names.size(); ++c)
      values[table.column_names[c]] = table.columns[c][r];
    return values;
  }
  ADD_FAILURE() << "no row " << key;
  return {};
}

TEST(Features, TinyLogMatchesHandComputedValues) {
  TempDir dir;
  write_tiny_log(dir);
  for (unsigned threads : {1u, 3u}) {
    FeatureOptions options = tiny_options();
    options.threads = threads;
    const FeatureResult result =
        build_player_features(gamelog::find_log_files(dir.path()), options);
    ASSERT_EQ(result.table.rows(), 2u);
    EXPECT_EQ(result.table.keys, (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(result.players_signed_up_after_cutoff, 1u);
    EXPECT_TRUE(result.label_written) << result.label_note;

    const std::map<std::string, double> expected_1 = {{"is_female", 1},
                                                      {"is_male", 0},
                                                      {"age", 25},
                                                      {"days_since_signup", 259},
                                                      {"login_count_last_7d", 3},
                                                      {"login_count_last_30d", 4},
                                                      {"login_count_last_90d", 5},
                                                      {"play_minutes_last_7d", 35},
                                                      {"play_minutes_last_30d", 36},
                                                      {"play_minutes_last_90d", 36.5},
                                                      {"active_days_last_7d", 2},
                                                      {"active_days_last_30d", 3},
                                                      {"active_days_last_90d", 4},
                                                      {"days_since_last_login", 1},
                                                      {"topup_count_last_7d", 1},
                                                      {"topup_count_last_30d", 1},
                                                      {"topup_count_last_90d", 2},
                                                      {"topup_amount_last_7d", 5500},
                                                      {"topup_amount_last_30d", 5500},
                                                      {"topup_amount_last_90d", 38500},
                                                      {"days_since_last_topup", 6},
                                                      {"purchase_count_last_7d", 1},
                                                      {"purchase_count_last_30d", 2},
                                                      {"purchase_count_last_90d", 2},
                                                      {"purchase_amount_last_7d", 8000},
                                                      {"purchase_amount_last_30d", 58000},
                                                      {"purchase_amount_last_90d", 58000},
                                                      {"shop_visit_count_last_7d", 2},
                                                      {"shop_visit_count_last_30d", 3},
                                                      {"shop_visit_count_last_90d", 3},
                                                      {"shop_visit_days_last_7d", 1},
                                                      {"shop_visit_days_last_30d", 2},
                                                      {"shop_visit_days_last_90d", 2},
                                                      {"mean_list_price_bought", 30000},
                                                      {"mean_price_paid", 29000},
                                                      {"main_item_purchases", 1},
                                                      {"high_value_item_purchases", 1},
                                                      {"bought_main_item", 1},
                                                      {"bought_high_value_item", 1},
                                                      {"topup_amount_next_30d", 12100},
                                                      {"topup_count_next_30d", 2}};
    EXPECT_EQ(row_of(result.table, "1"), expected_1);

    const auto row_2 = row_of(result.table, "2");
    EXPECT_EQ(row_2.at("is_male"), 1);
    EXPECT_EQ(row_2.at("days_since_signup"), 11);
    EXPECT_EQ(row_2.at("login_count_last_90d"), 0);
    EXPECT_EQ(row_2.at("days_since_last_login"), 91);  // none in the window: W + 1
    EXPECT_EQ(row_2.at("topup_count_last_7d"), 0);
    EXPECT_EQ(row_2.at("topup_count_last_30d"), 1);
    EXPECT_EQ(row_2.at("days_since_last_topup"), 10);
    EXPECT_EQ(row_2.at("purchase_amount_last_7d"), 6000);
    EXPECT_EQ(row_2.at("mean_list_price_bought"), 3000);
    EXPECT_EQ(row_2.at("bought_main_item"), 0);
    EXPECT_EQ(row_2.at("shop_visit_days_last_90d"), 0);
    EXPECT_EQ(row_2.at("topup_amount_next_30d"), 0);

    // Rows outside the windows are counted, not silently dropped.
    std::map<std::string, std::uint64_t> outside;
    for (const auto& file : result.files)
      outside[file.path.substr(file.path.rfind('/') + 1)] = file.outside_window;
    EXPECT_EQ(outside["logins.csv"], 2u);
    EXPECT_EQ(outside["topups.csv"], 1u);
    EXPECT_EQ(outside["purchases.csv"], 1u);
  }
}

TEST(Features, ColumnsFollowTheCatalogue) {
  TempDir dir;
  write_tiny_log(dir);
  const FeatureOptions options = tiny_options();
  const FeatureResult result = build_player_features(gamelog::find_log_files(dir.path()), options);
  CatalogShape shape;
  std::vector<std::string> listed;
  for (const auto& spec : feature_catalog(options, shape)) listed.push_back(spec.name);
  EXPECT_EQ(result.table.column_names, listed);
  EXPECT_EQ(listed.size(), 41u);
}

TEST(Features, LabelIsLeftOutWhenTheLogsStopBeforeTheLabelWindowEnds) {
  TempDir dir;
  write_tiny_log(dir);
  dir.write("topups.csv", "player_id,topup_time,amount_krw\n1,2026-10-03 09:00:00,11000\n");
  dir.write("logins.csv", "player_id,login_time,play_seconds\n1,2026-09-30 10:00:00,60\n");
  const FeatureResult result =
      build_player_features(gamelog::find_log_files(dir.path()), tiny_options());
  EXPECT_FALSE(result.label_written);
  EXPECT_NE(result.label_note.find("latest event is 2026-10-03 09:00:00"), std::string::npos)
      << result.label_note;
  EXPECT_EQ(std::count(result.table.column_names.begin(), result.table.column_names.end(),
                       "topup_amount_next_30d"),
            0);
}

std::string error_of(const TempDir& dir, const FeatureOptions& options) {
  try {
    build_player_features(gamelog::find_log_files(dir.path()), options);
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(Features, BadRowsNameFileLineAndColumn) {
  TempDir dir;
  write_tiny_log(dir);
  const auto logins = dir.write(
      "logins.csv",
      "player_id,login_time,play_seconds\n1,2026-09-30 10:00:00,60\n1,2026-09-31 10:00:00,60\n");
  EXPECT_EQ(error_of(dir, tiny_options()),
            logins +
                ":3: column 'login_time': expected a timestamp 'YYYY-MM-DD HH:MM:SS' (or Unix "
                "seconds), got '2026-09-31 10:00:00'");
  dir.write("logins.csv", "player_id,login_time,play_seconds\n1,2026-09-30 10:00:00,60\n");
  const auto topups =
      dir.write("topups.csv", "player_id,topup_time,amount_krw\n1,2026-09-30 10:00:00,lots\n");
  EXPECT_EQ(error_of(dir, tiny_options()),
            topups + ":2: column 'amount_krw': expected a number, got 'lots'");
  dir.write("topups.csv", "player_id,topup_time,amount_krw\n77,2026-09-30 10:00:00,100\n");
  EXPECT_EQ(error_of(dir, tiny_options()),
            topups + ":2: column 'player_id': unknown player id '77' (not in the players)");
  dir.write("topups.csv", "player_id,topup_time\n1,2026-09-30 10:00:00\n");
  EXPECT_NE(error_of(dir, tiny_options()).find(topups + ":1: missing column amount_krw"),
            std::string::npos);
  dir.write("topups.csv", "");
  EXPECT_NE(error_of(dir, tiny_options()).find(topups + ": the file is empty"), std::string::npos);
  dir.write("topups.csv", "player_id,topup_time,amount_krw\n1,2026-09-30 10:00:00\n");
  EXPECT_EQ(error_of(dir, tiny_options()),
            topups + ":2: expected 3 fields (player_id,topup_time,amount_krw), found 2");
  dir.write("topups.csv", "player_id,topup_time,amount_krw\n");
  const auto purchases = dir.write(
      "purchases.csv", "player_id,purchase_time,item_id,price_krw\n1,2026-09-28 10:00:00,Z,10\n");
  EXPECT_EQ(error_of(dir, tiny_options()),
            purchases + ":2: column 'item_id': unknown item id 'Z' (not in items.csv)");
  EXPECT_NE(error_of(TempDir(), tiny_options()).find("no players.csv"), std::string::npos);
}

TEST(Features, SkipBadRowsCountsEveryRejectedRow) {
  TempDir dir;
  write_tiny_log(dir);
  dir.write("topups.csv",
            "player_id,topup_time,amount_krw\n"
            "1,2026-09-25 12:00:00,5500\n"
            "1,yesterday,100\n"
            "99,2026-09-25 12:00:00,100\n"
            "1,2026-09-26 12:00:00,-5\n"
            "2,2026-09-21 00:00:01,3300\n");
  FeatureOptions options = tiny_options();
  options.skip_bad_rows = true;
  const FeatureResult result = build_player_features(gamelog::find_log_files(dir.path()), options);
  const FileReport* topups = nullptr;
  for (const auto& file : result.files)
    if (file.path.ends_with("topups.csv")) topups = &file;
  ASSERT_NE(topups, nullptr);
  EXPECT_EQ(topups->rows, 2u);
  EXPECT_EQ(topups->skipped_rows, 3u);
  ASSERT_EQ(topups->skipped_examples.size(), 3u);
  EXPECT_NE(topups->skipped_examples[2].find(
                ":5: column 'amount_krw': expected an amount >= 0, got '-5'"),
            std::string::npos);
  EXPECT_EQ(row_of(result.table, "1").at("topup_amount_last_90d"), 5500);
}

TEST(Features, TransactionFileGivesTopupFeaturesAndLabel) {
  TempDir dir;
  const auto path = dir.write("tx.csv",
                              "user_id,timestamp,amount\n"
                              "alice,2026-09-30T20:00:00Z,1000\n"
                              "bob,2026-09-01 10:00:00,500\n"
                              "alice,2026-09-10 10:00:00,250.5\n"
                              "bob,2026-10-30 10:00:00,700\n"
                              "bob,2026-10-30 11:00:00,-200\n"     // a refund
                              "carol,2026-10-05 10:00:00,900\n");  // first seen after the cutoff
  const FeatureResult result = build_transaction_features(path, tiny_options());
  EXPECT_EQ(result.table.key_name, "user_id");
  EXPECT_EQ(result.table.keys, (std::vector<std::string>{"alice", "bob"}));  // not carol: a leak
  EXPECT_EQ(result.players_signed_up_after_cutoff, 1u);
  const auto alice = row_of(result.table, "alice");
  EXPECT_EQ(alice.at("topup_count_last_30d"), 2);
  EXPECT_DOUBLE_EQ(alice.at("topup_amount_last_30d"), 1250.5);
  EXPECT_EQ(alice.at("days_since_last_topup"), 1);
  EXPECT_EQ(row_of(result.table, "bob").at("topup_amount_next_30d"), 500);
  EXPECT_EQ(result.table.column_names.size(), 9u);
}

TEST(Features, RejectsBadOptions) {
  FeatureOptions options = tiny_options();
  options.windows = {7, 30, 60};
  EXPECT_THROW(validate(options), InputError);
  options.windows = {30, 7, 90};
  EXPECT_THROW(validate(options), InputError);
  options.windows = {7, 30, 90};
  options.observation_days = 0;
  EXPECT_THROW(validate(options), InputError);
}

}  // namespace
}  // namespace playsight::spend
