// Drives the real binary through the spend pipeline: train -> predict on a game log, and compare
// on a plain transaction file with another horizon; bad input exits 2 with one clear line.
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

// One small game for all tests of this file.
const testing::TempDir& game() {
  static const testing::TempDir dir;
  static const bool ready = [] {
    const CommandRun generated =
        run("generate --out " + dir.file("logs") + " --players 4000 --seed 5");
    EXPECT_EQ(generated.exit_code, 0) << generated.output;
    const CommandRun features = run("features --logs " + dir.file("logs") + " --out " +
                                    dir.file("features.csv") + " --progress never");
    EXPECT_EQ(features.exit_code, 0) << features.output;
    return true;
  }();
  (void)ready;
  return dir;
}

TEST(SpendCli, TrainThenPredict) {
  const auto& dir = game();
  CommandRun trained = run("train --features " + dir.file("features.csv") +
                           " --model calibrated_hurdle_model --out " + dir.file("model") +
                           " --experiment " + dir.file("logs/experiment.csv"));
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  EXPECT_NE(trained.output.find("normalised Gini"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir.file("model/model.json")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("model/split.csv")));
  const CommandRun predicted =
      run("predict --model " + dir.file("model") + " --features " + dir.file("features.csv") +
          " --out " + dir.file("predictions.csv"));
  ASSERT_EQ(predicted.exit_code, 0) << predicted.output;
  const Table predictions = read_table_csv(dir.file("predictions.csv"));
  const Table features = read_table_csv(dir.file("features.csv"));
  EXPECT_EQ(predictions.keys, features.keys);
  EXPECT_EQ(predictions.column_names,
            (std::vector<std::string>{"predicted_topup_amount_next_30d"}));
  double predicted_total = 0, actual_total = 0;
  for (double value : predictions.columns[0]) predicted_total += value;
  for (double value : features.column("topup_amount_next_30d")) actual_total += value;
  EXPECT_NEAR(predicted_total / actual_total, 1.0, 0.3);
}

TEST(SpendCli, PredictNamesTheMissingColumn) {
  const auto& dir = game();
  ASSERT_EQ(run("train --features " + dir.file("features.csv") + " --model mse_model --out " +
                dir.file("mse"))
                .exit_code,
            0);
  std::ifstream in(dir.file("features.csv"));
  std::ofstream out(dir.file("narrow.csv"));
  std::string line;
  while (std::getline(in, line))
    out << line.substr(0, line.find(',', line.find(',') + 1)) << "\n";  // 2 columns
  out.close();
  const CommandRun result =
      run("predict --model " + dir.file("mse") + " --features " + dir.file("narrow.csv"));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.output,
            "playsight: error: the model needs column 'is_male', which the feature table does not "
            "have\n");
}

TEST(SpendCli, CompareOnATransactionFileWithAnotherHorizon) {
  const auto& dir = game();
  // Any shop's purchase history: user_id,timestamp,amount (here: the game's top-ups).
  std::ifstream in(dir.file("logs/topups.csv"));
  std::ofstream out(dir.file("transactions.csv"));
  std::string line;
  std::getline(in, line);
  out << "user_id,timestamp,amount\n";
  while (std::getline(in, line)) out << line << "\n";
  out.close();
  const CommandRun result =
      run("compare --transactions " + dir.file("transactions.csv") +
          " --cutoff 2026-10-01 --horizon 2w --out " + dir.file("cmp") +
          " --models tweedie_model,zero_model,last_30d_model,bgnbd_gamma_gamma");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("horizon 2w"), std::string::npos) << result.output;
  std::ifstream csv(dir.file("cmp/comparison.csv"));
  std::vector<std::string> aliases;
  for (std::string row; std::getline(csv, row);) aliases.push_back(row.substr(0, row.find(',')));
  EXPECT_EQ(aliases, (std::vector<std::string>{"alias", "tweedie_model", "zero_model",
                                               "last_30d_model", "bgnbd_gamma_gamma"}));
  EXPECT_TRUE(std::filesystem::exists(dir.file("cmp/comparison.html")));
  const CommandRun bad = run("compare --transactions " + dir.file("transactions.csv") +
                             " --cutoff 2026-10-01 --horizon 39x");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.output,
            "playsight: error: --horizon: expected a number of days or weeks like 30d or 39w, got "
            "'39x'\n");
  const CommandRun unknown = run("compare --transactions " + dir.file("transactions.csv") +
                                 " --cutoff 2026-10-01 --models best_model");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("unknown model 'best_model'"), std::string::npos);
}

TEST(SpendCli, BacktestOnTheRealPurchaseHistoryScoresEachModelAsTrainedAndCorrected) {
  const testing::TempDir dir;
  const std::string retail = std::string(PLAYSIGHT_SOURCE_DIR) +
                             "/data/online_retail/online_retail_ii_transactions.csv "
                             "--customer-column customer_id --time-column datetime "
                             "--amount-column amount_gbp --kind-column kind";
  const CommandRun result =
      run("compare --transactions " + retail +
          " --cutoffs 2011-11-09 --selection-cutoffs 1 --training-windows 3 --models "
          "hybrid_tweedie --progress never --out " +
          dir.file("backtest"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // The table: the row chosen at 2011-10-10, the model as trained and corrected, the references.
  EXPECT_NE(result.output.find("2011-11-09  selected=hybrid_tweedie"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("2011-11-09  hybrid_tweedie+trend-season "), std::string::npos);
  EXPECT_NE(result.output.find("2011-11-09  bgnbd_gamma_gamma "), std::string::npos);
  // The selected row against BG/NBD, with the paired bootstrap's 200 draws (the default).
  EXPECT_NE(result.output.find("2011-11-09  selected vs bgnbd_gamma_gamma (difference, 95 % "
                               "interval of a paired bootstrap over customers, share of its 200 "
                               "draws the selected wins): gini +"),
            std::string::npos)
      << result.output;
  // backtest.csv: cutoff, role, model, the row "selected" stands for, the correction; then the
  // metrics. The selection cutoff 2011-10-10 first (nothing scored before it to select with).
  std::ifstream csv(dir.file("backtest/backtest.csv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) {
    std::size_t end = 0;
    for (int field = 0; field < 5 && end != std::string::npos; ++field)
      end = line.find(',', end == 0 ? 0 : end + 1);
    lines.push_back(line.substr(0, end));
  }
  const std::string selected = lines.size() > 5 ? lines[5] : "";
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "cutoff,role,model,selected_model,correction_method",
                       "2011-10-10,selection,hybrid_tweedie,,none",
                       "2011-10-10,selection,hybrid_tweedie+trend-season,,trend-season",
                       "2011-10-10,selection,bgnbd_gamma_gamma,,none",
                       "2011-10-10,selection,zero_model,,none", selected,
                       "2011-11-09,evaluated,hybrid_tweedie,,none",
                       "2011-11-09,evaluated,hybrid_tweedie+trend-season,,trend-season",
                       "2011-11-09,evaluated,bgnbd_gamma_gamma,,none",
                       "2011-11-09,evaluated,zero_model,,none"}));
  EXPECT_EQ(selected.rfind("2011-11-09,evaluated,selected,hybrid_tweedie", 0), 0u) << selected;
  EXPECT_TRUE(std::filesystem::exists(dir.file("backtest/cutoff-2011-11-09/comparison.html")));
  std::ifstream json_file(dir.file("backtest/backtest.json"));
  const std::string json((std::istreambuf_iterator<char>(json_file)), {});
  EXPECT_NE(
      json.find("\"selected_vs_reference\": {\n        \"reference\": \"bgnbd_gamma_gamma\",\n"
                "        \"draws\": 200,"),
      std::string::npos);

  const CommandRun bad =
      run("compare --transactions " + retail + " --cutoffs 2011-11-09 --total-correction seasonal");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.output,
            "playsight: error: --total-correction: expected one of auto, none, trend-season, "
            "year-over-year, got 'seasonal'\n");
  const CommandRun negative =
      run("compare --transactions " + retail + " --cutoffs 2011-11-09 --bootstrap -5");
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_NE(
      negative.output.find("playsight: error: --bootstrap must be between 0 and 100000, got -5"),
      std::string::npos)
      << negative.output;
}

}  // namespace
}  // namespace playsight
