// playsight effect on a real generated log: the uplift models beat a random ranking on held-out
// players, the outputs hold what a user reads, and every kind of bad input gets a clear error or
// a warning with counts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight {
namespace {

using testing::run_playsight;

// One generated log and a model trained on the month before its experiment, shared by the tests.
class EffectCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    logs_ = dir_->file("logs");
    ASSERT_EQ(run_playsight("generate --players 30000 --seed 7 --out " + logs_).exit_code, 0);
    const auto features =
        run_playsight("features --logs " + logs_ + " --cutoff 2026-09-01 --progress never --out " +
                      dir_->file("pre.csv"));
    ASSERT_EQ(features.exit_code, 0) << features.output;
    const auto trained =
        run_playsight("train --threads 1 --features " + dir_->file("pre.csv") +
                      " --model tweedie_model --all-players --out " + dir_->file("model"));
    ASSERT_EQ(trained.exit_code, 0) << trained.output;
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string effect(const std::string& extra) {
    return "effect --threads 1 --logs " + logs_ + " --model " + dir_->file("model") +
           " --item-projection " + dir_->file("pre.item_projection.json") + " --progress never " +
           extra;
  }
  // A copy of the log folder with experiment.csv replaced by `assignment`.
  static std::string logs_with_assignment(const std::string& name, const std::string& assignment) {
    const std::string copy = dir_->file(name);
    std::filesystem::create_directories(copy);
    for (const auto& entry : std::filesystem::directory_iterator(logs_)) {
      if (entry.path().filename() == "experiment.csv") continue;
      std::filesystem::create_symlink(entry.path(), copy + "/" + entry.path().filename().string());
    }
    std::ofstream(copy + "/experiment.csv") << assignment;
    return copy;
  }
  static std::string head_of_assignment(std::size_t rows) {
    std::ifstream in(logs_ + "/experiment.csv");
    std::string line, out;
    for (std::size_t k = 0; k <= rows && std::getline(in, line); ++k) out += line + "\n";
    return out;
  }

  static testing::TempDir* dir_;
  static std::string logs_;
};

testing::TempDir* EffectCommand::dir_ = nullptr;
std::string EffectCommand::logs_;

// Uplift needs players: a nudge moves a 30-day top-up by about 1/20 of its standard deviation,
// so the rankings are checked on 150,000 players (the demo's 750,000 show the same, clearer).
TEST(EffectUplift, UpliftModelsBeatARandomRankingOnHeldOutPlayers) {
  testing::TempDir dir;
  const std::string logs = dir.file("logs");
  ASSERT_EQ(run_playsight("generate --players 150000 --seed 11 --out " + logs).exit_code, 0);
  ASSERT_EQ(run_playsight("features --logs " + logs +
                          " --cutoff 2026-09-01 --no-item-groups --progress never --out " +
                          dir.file("pre.csv"))
                .exit_code,
            0);
  ASSERT_EQ(run_playsight("train --threads 1 --features " + dir.file("pre.csv") +
                          " --model tweedie_model --all-players --out " + dir.file("model"))
                .exit_code,
            0);
  const auto measure = [&](const std::string& outcome) {
    const std::string out = dir.file("effect-" + outcome);
    const auto run =
        run_playsight("effect --threads 1 --logs " + logs + " --model " + dir.file("model") +
                      " --uplift-outcome " + outcome + " --progress never --out " + out);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    std::ifstream in(out + "/effect.json");
    return nlohmann::json::parse(in);
  };
  // Top-up amount: both nudges; the X-learner's ranking is beyond what random rankings reach.
  const auto amount = measure("topup_amount");
  ASSERT_EQ(amount["groups"].size(), 2u);
  for (const auto& group : amount["groups"]) {
    const auto& uplift = group["uplift"];
    ASSERT_TRUE(uplift.contains("models")) << uplift.dump();
    const double random_mean = uplift["random_ranking"]["qini_coefficient_mean"];
    const double random_sd = uplift["random_ranking"]["qini_coefficient_sd"];
    for (const auto& model : uplift["models"]) {
      EXPECT_GT(model["qini_coefficient"].get<double>(), 0) << group["group"] << model["name"];
      EXPECT_GT(model["top_fifth_effect"].get<double>(), model["other_effect"].get<double>());
    }
    EXPECT_EQ(uplift["models"][1]["name"], "x_learner");
    EXPECT_GT(uplift["models"][1]["qini_coefficient"].get<double>(), random_mean + 2 * random_sd)
        << group["group"];
  }
  // The generator knows nudge_a's effect for every player: ranking by it is the ceiling.
  const auto& nudge_a = amount["groups"][0];
  ASSERT_EQ(nudge_a["group"], "nudge_a");
  ASSERT_FALSE(nudge_a["uplift"]["true_effect_ranking"].is_null());
  EXPECT_GT(nudge_a["uplift"]["true_effect_ranking"]["coefficient"].get<double>(), 0);
  // Top-up count, where nudge_a (a starter offer) acts: both learners, far beyond random.
  const auto count = measure("topup_count");
  const auto& count_a = count["groups"][0]["uplift"];
  const double random_mean = count_a["random_ranking"]["qini_coefficient_mean"];
  const double random_sd = count_a["random_ranking"]["qini_coefficient_sd"];
  for (const auto& model : count_a["models"]) {
    EXPECT_GT(model["qini_coefficient"].get<double>(), random_mean + 4 * random_sd)
        << model["name"];
  }
}

TEST_F(EffectCommand, WritesTheReportsAUserReads) {
  const std::string out = dir_->file("effect");
  const auto run = run_playsight(effect("--no-uplift --out " + out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("nudge_a ("), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("planning (amount): MDE at"), std::string::npos) << run.output;
  std::ifstream in(out + "/effect.json");
  const auto report = nlohmann::json::parse(in);
  ASSERT_EQ(report["groups"].size(), 2u);
  const auto& nudge_a = report["groups"][0];
  EXPECT_EQ(nudge_a["group"], "nudge_a");
  // Every estimator of every outcome, with its interval around the estimate.
  ASSERT_EQ(nudge_a["outcomes"].size(), 3u);
  for (const auto& outcome : nudge_a["outcomes"]) {
    ASSERT_EQ(outcome["absolute"].size(), 4u);
    for (const auto& e : outcome["absolute"]) {
      EXPECT_LT(e["ci_low"].get<double>(), e["estimate"].get<double>()) << e.dump();
      EXPECT_GT(e["ci_high"].get<double>(), e["estimate"].get<double>()) << e.dump();
    }
  }
  // The HTML report and the per-player file are there and hold the numbers.
  std::ifstream html(out + "/effect.html");
  std::stringstream page;
  page << html.rdbuf();
  EXPECT_NE(page.str().find("nudge_b vs control"), std::string::npos);
  EXPECT_NE(page.str().find("id=\"segments-0\""), std::string::npos);
  std::ifstream responses(out + "/player_response.csv");
  std::string header;
  std::getline(responses, header);
  EXPECT_EQ(header,
            "player_id,group,topup_amount_krw,predicted_krw,counterfactual_krw,response_krw,"
            "response_low_krw,response_high_krw,clearly_positive");
  std::size_t rows = 0;
  for (std::string line; std::getline(responses, line);) ++rows;
  EXPECT_EQ(rows, report["control_players"].get<std::size_t>() +
                      nudge_a["players"].get<std::size_t>() +
                      report["groups"][1]["players"].get<std::size_t>());
}

TEST_F(EffectCommand, PlayersAbsentFromTheLogsAreCountedAndLeftOut) {
  std::string assignment = head_of_assignment(3000);
  assignment += "900001,nudge_a,2026-10-01 10:00:00\n900002,control,2026-10-01 11:00:00\n";
  const std::string logs = logs_with_assignment("absent", assignment);
  const auto run =
      run_playsight("effect --threads 1 --logs " + logs + " --model " + dir_->file("model") +
                    " --item-projection " + dir_->file("pre.item_projection.json") +
                    " --no-uplift --progress never --out " + dir_->file("absent-out"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("2 assigned players are not players of the logs at the cutoff"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("(first: line 3002, player 900001)"), std::string::npos) << run.output;
}

TEST_F(EffectCommand, AGroupWithoutPlayersIsAnErrorOrAWarning) {
  // No control player at all: the groups that are there are listed.
  std::string only_nudged =
      "player_id,group,exposure_time\n1,nudge_a,2026-10-01 10:00:00\n"
      "2,nudge_b,2026-10-01 10:00:00\n";
  auto run = run_playsight(effect("--experiment " + dir_->write("no-control.csv", only_nudged) +
                                  " --out " + dir_->file("x")));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("no player is in the control group 'control'; the file's groups are "
                            "nudge_a (1), nudge_b (1) (choose one with --control)"),
            std::string::npos)
      << run.output;
  // nudge_b is listed by the manifest but nobody is in it: a warning, and nudge_a is measured.
  std::string without_b = "player_id,group,exposure_time\n";
  std::ifstream in(logs_ + "/experiment.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.find(",nudge_b,") == std::string::npos) without_b += line + "\n";
  }
  const std::string logs = logs_with_assignment("without-b", without_b);
  run = run_playsight("effect --threads 1 --logs " + logs + " --model " + dir_->file("model") +
                      " --item-projection " + dir_->file("pre.item_projection.json") +
                      " --no-uplift --progress never --out " + dir_->file("without-b-out"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("warning: manifest.json lists group 'nudge_b', but"), std::string::npos)
      << run.output;
  // A nudge group of one player cannot be measured.
  std::string tiny = head_of_assignment(200) + "29999,nudge_z,2026-10-01 10:00:00\n";
  run = run_playsight(effect("--experiment " + dir_->write("tiny.csv", tiny) +
                             " --no-uplift --out " + dir_->file("y")));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("the nudge group 'nudge_z' has 1 player; at least 2 are needed"),
            std::string::npos)
      << run.output;
}

TEST_F(EffectCommand, ExposureTimesOutsideTheLogsAreErrors) {
  std::string late = head_of_assignment(100) + "29999,nudge_a,2027-03-01 10:00:00\n";
  auto run = run_playsight(
      effect("--experiment " + dir_->write("late.csv", late) + " --out " + dir_->file("z")));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("1 exposure time is after the last event of the logs"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("(first: line 102, player 29999 at 2027-03-01 10:00:00)"),
            std::string::npos)
      << run.output;
  // An explicit cutoff after some exposures: their pre-period would hold the nudge.
  run = run_playsight(effect("--cutoff 2026-10-02 --out " + dir_->file("w")));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("were exposed before the cutoff 2026-10-02 (first: line"),
            std::string::npos)
      << run.output;
  // A bad timestamp names the file, line and column.
  const std::string bad = dir_->write(
      "bad.csv", "player_id,group,exposure_time\n1,control,2026-10-01 10:00:00\n2,nudge_a,soon\n");
  run = run_playsight(effect("--experiment " + bad + " --out " + dir_->file("v")));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find(bad + ":3: column 'exposure_time'"), std::string::npos) << run.output;
}

TEST_F(EffectCommand, AModelTrainedOnOtherFeaturesIsAnError) {
  // A model of features without item groups reads fewer columns: fine. One that reads columns
  // these logs cannot give (a 14-day window) is refused, naming them.
  const auto features = run_playsight("features --logs " + logs_ +
                                      " --cutoff 2026-09-01 --windows 14,90 --no-item-groups "
                                      "--progress never --out " +
                                      dir_->file("pre14.csv"));
  ASSERT_EQ(features.exit_code, 0) << features.output;
  ASSERT_EQ(run_playsight("train --threads 1 --features " + dir_->file("pre14.csv") +
                          " --model zero_model --all-players --out " + dir_->file("model14"))
                .exit_code,
            0);
  auto run = run_playsight("effect --threads 1 --logs " + logs_ + " --model " +
                           dir_->file("model14") + " --progress never --out " + dir_->file("u"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("model.json: the model reads"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("that the features of these logs do not have: login_count_last_14d"),
            std::string::npos)
      << run.output;
  // Item-group columns need the item groups the model was trained with.
  run = run_playsight("effect --threads 1 --logs " + logs_ + " --model " + dir_->file("model") +
                      " --progress never --out " + dir_->file("t"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("pass that features.item_projection.json with --item-projection"),
            std::string::npos)
      << run.output;
}

TEST_F(EffectCommand, AModelTrainedOnTheOutcomeWindowIsFlagged) {
  const auto features = run_playsight("features --logs " + logs_ + " --progress never --out " +
                                      dir_->file("post.csv"));
  ASSERT_EQ(features.exit_code, 0) << features.output;
  ASSERT_EQ(run_playsight("train --threads 1 --features " + dir_->file("post.csv") +
                          " --experiment " + logs_ +
                          "/experiment.csv --model tweedie_model --out " + dir_->file("post-model"))
                .exit_code,
            0);
  const auto run =
      run_playsight("effect --threads 1 --logs " + logs_ + " --model " + dir_->file("post-model") +
                    " --item-projection " + dir_->file("post.item_projection.json") +
                    " --no-uplift --progress never --out " + dir_->file("s"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("the model was trained on top-ups from 2026-10-01 to 2026-10-30, "
                            "after the experiment began (2026-10-01)"),
            std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace playsight
