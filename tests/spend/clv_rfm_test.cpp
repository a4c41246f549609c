#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/temp_dir.h"
#include "core/error.h"
#include "spend/clv/rfm.h"

namespace playsight::spend::clv {
namespace {

using testing::TempDir;

const Days kCutoff = parse_date("2026-10-01");  // the last calibration day is 2026-09-30

// A top-up file whose summary was computed by hand (see each player below).
std::string write_topups(const TempDir& dir) {
  return dir.write("topups.csv",
                   "player_id,topup_time,amount_krw\n"
                   "1,2026-09-01 10:00:00,5000\n"    // player 1, first day (two top-ups)
                   "2,2026-09-30 08:00:00,1000\n"    // player 2: one top-up, the last day
                   "3,2026-08-01 09:00:00,500\n"     // player 3, first day
                   "1,2026-09-01 15:00:00,3000\n"    // player 1, same first day
                   "4,2026-10-05 12:00:00,700\n"     // player 4: only after the cutoff
                   "1,2026-09-10 00:00:00,10000\n"   // player 1, second day
                   "3,2026-08-01 10:00:00,0\n"       // zero amount: not a top-up
                   "1,2026-10-01 00:00:00,99999\n"   // at the cutoff: not calibration
                   "3,2026-08-15 23:59:59,1500\n"    // player 3, second day
                   "1,2026-09-30 23:59:59,2000\n");  // player 1, third day (the last second)
}

TEST(ClvRfm, SummaryOfATinyFileEqualsHandComputedValues) {
  TempDir dir;
  const RfmTable rfm = rfm_from_topups(write_topups(dir), TopupFileKind::kGameLog, kCutoff, {});
  ASSERT_EQ(rfm.keys, (std::vector<std::string>{"1", "2", "3", "4"}));  // order of appearance
  EXPECT_EQ(rfm.key_name, "player_id");
  // Player 1: top-up days 09-01, 09-10, 09-30: x = 2, t_x = 29, T = 09-30 - 09-01 = 29; repeat
  // days worth 10000 and 2000: m = 6000; total 5000 + 3000 + 10000 + 2000.
  EXPECT_EQ(rfm.customer[0], 1);
  EXPECT_EQ(rfm.frequency[0], 2);
  EXPECT_EQ(rfm.recency[0], 29);
  EXPECT_EQ(rfm.age[0], 29);
  EXPECT_EQ(rfm.monetary[0], 6000);
  EXPECT_EQ(rfm.total_amount[0], 20000);
  // Player 2: a single top-up on the day before the cutoff: x = 0, t_x = 0, T = 0.
  EXPECT_EQ(rfm.customer[1], 1);
  EXPECT_EQ(rfm.frequency[1], 0);
  EXPECT_EQ(rfm.recency[1], 0);
  EXPECT_EQ(rfm.age[1], 0);
  EXPECT_EQ(rfm.monetary[1], 0);
  EXPECT_EQ(rfm.total_amount[1], 1000);
  // Player 3: days 08-01 and 08-15: x = 1, t_x = 14, T = 31 + 29 = 60, m = 1500.
  EXPECT_EQ(rfm.frequency[2], 1);
  EXPECT_EQ(rfm.recency[2], 14);
  EXPECT_EQ(rfm.age[2], 60);
  EXPECT_EQ(rfm.monetary[2], 1500);
  EXPECT_EQ(rfm.total_amount[2], 2000);
  // Player 4: no top-up before the cutoff: a never-payer.
  EXPECT_EQ(rfm.customer[3], 0);
  EXPECT_EQ(rfm.frequency[3], 0);
  EXPECT_EQ(rfm.total_amount[3], 0);
  // From 08-01 (the earliest top-up) to the cutoff.
  EXPECT_EQ(rfm.calibration_length_days, 61);
  EXPECT_EQ(rfm.report.rows, 10u);
  EXPECT_EQ(rfm.report.topups_used, 7u);
  EXPECT_EQ(rfm.report.on_or_after_cutoff, 2u);
  EXPECT_EQ(rfm.report.not_positive, 1u);
}

TEST(ClvRfm, RowsFollowAGivenPlayerList) {
  TempDir dir;
  const std::vector<std::string> players{"9", "3", "1", "2"};  // 9 has no top-up; 4 not listed
  RfmOptions options;
  options.players = players;
  const RfmTable rfm =
      rfm_from_topups(write_topups(dir), TopupFileKind::kGameLog, kCutoff, options);
  ASSERT_EQ(rfm.keys, players);
  EXPECT_EQ(rfm.customer, (std::vector<std::uint8_t>{0, 1, 1, 1}));
  EXPECT_EQ(rfm.frequency, (std::vector<double>{0, 1, 2, 0}));
  EXPECT_EQ(rfm.age, (std::vector<double>{0, 60, 29, 0}));
  EXPECT_EQ(rfm.report.unlisted_players, 1u);

  const std::vector<std::size_t> rows{2, 0};
  const RfmTable picked = select_rows(rfm, rows);
  EXPECT_EQ(picked.keys, (std::vector<std::string>{"1", "9"}));
  EXPECT_EQ(picked.monetary, (std::vector<double>{6000, 0}));
  const Table table = rfm_as_table(picked);
  EXPECT_EQ(table.column("frequency"), (std::vector<double>{2, 0}));
  EXPECT_EQ(table.column("customer"), (std::vector<double>{1, 0}));

  const std::vector<std::string> repeated{"1", "2", "1"};
  options.players = repeated;
  EXPECT_THROW(rfm_from_topups(write_topups(dir), TopupFileKind::kGameLog, kCutoff, options),
               InputError);
}

TEST(ClvRfm, CalibrationWindowOfTheLastDays) {
  TempDir dir;
  RfmOptions options;
  options.calibration_days = 30;  // [09-01, 10-01)
  const RfmTable rfm =
      rfm_from_topups(write_topups(dir), TopupFileKind::kGameLog, kCutoff, options);
  EXPECT_EQ(rfm.frequency[0], 2);  // player 1's first day is the window's first day
  EXPECT_EQ(rfm.age[0], 29);
  EXPECT_EQ(rfm.customer[2], 0);  // player 3 topped up only before the window
  EXPECT_EQ(rfm.calibration_length_days, 30);
  EXPECT_EQ(rfm.report.before_calibration, 3u);  // player 3's three rows (one of amount 0)
}

TEST(ClvRfm, TransactionFileWithRefunds) {
  TempDir dir;
  const std::string path = dir.write("tx.csv",
                                     "user_id,timestamp,amount\n"
                                     "u7,2026-01-05T10:00:00Z,30.5\n"
                                     "u7,2026-01-05T11:00:00Z,-30.5\n"  // a refund: ignored
                                     "u7,2026-02-01,12.25\n"
                                     "u8,2026-02-10,4\n");
  const RfmTable rfm =
      rfm_from_topups(path, TopupFileKind::kTransactions, parse_date("2026-03-01"), {});
  EXPECT_EQ(rfm.key_name, "user_id");
  ASSERT_EQ(rfm.keys, (std::vector<std::string>{"u7", "u8"}));
  EXPECT_EQ(rfm.frequency[0], 1);
  EXPECT_EQ(rfm.recency[0], 27);
  EXPECT_EQ(rfm.age[0], 54);  // 01-05 to 02-28
  EXPECT_EQ(rfm.monetary[0], 12.25);
  EXPECT_EQ(rfm.report.not_positive, 1u);
}

TEST(ClvRfm, BadInputNamesFileLineAndColumn) {
  TempDir dir;
  const std::string negative = dir.write("topups.csv",
                                         "player_id,topup_time,amount_krw\n"
                                         "1,2026-09-01 10:00:00,5000\n"
                                         "2,2026-09-02 10:00:00,-5\n");
  try {
    rfm_from_topups(negative, TopupFileKind::kGameLog, kCutoff, {});
    FAIL() << "a negative top-up was accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("topups.csv:3: column 'amount_krw'"),
              std::string::npos)
        << error.what();
  }
  const std::string bad_time = dir.write("t2.csv",
                                         "player_id,topup_time,amount_krw\n"
                                         "1,yesterday,5000\n");
  try {
    rfm_from_topups(bad_time, TopupFileKind::kGameLog, kCutoff, {});
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("t2.csv:2: column 'topup_time'"), std::string::npos)
        << error.what();
  }
  const std::string wrong_columns =
      dir.write("t3.csv", "user_id,timestamp,amount\n1,2026-01-01,3\n");
  EXPECT_THROW(rfm_from_topups(wrong_columns, TopupFileKind::kGameLog, kCutoff, {}), InputError);
  EXPECT_THROW(rfm_from_topups(dir.file("missing.csv"), TopupFileKind::kGameLog, kCutoff, {}),
               InputError);
  RfmOptions negative_window;
  negative_window.calibration_days = -1;
  EXPECT_THROW(rfm_from_topups(bad_time, TopupFileKind::kGameLog, kCutoff, negative_window),
               InputError);
}

}  // namespace
}  // namespace playsight::spend::clv
