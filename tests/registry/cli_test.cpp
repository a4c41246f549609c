// `playsight models ...` and `playsight sync` through the real binary: what they print, their
// JSON, and exit code 2 with a one-line message for bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight::testing {
namespace {

class ModelsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = "--registry sqlite://" + temp_.file("reg/registry.db");
    for (int i = 1; i <= 3; ++i) {
      const std::string folder = "model" + std::to_string(i);
      std::filesystem::create_directories(temp_.file(folder));
      temp_.write(folder + "/model.json",
                  R"({"alias": "tweedie_model", "metrics": {"mae": 1.5e4}, "training": {}})");
      temp_.write(folder + "/model.xgb.json", "trees " + std::to_string(i));
    }
  }

  CommandRun models(const std::string& arguments) const {
    return run_playsight("models " + arguments + " " + registry_);
  }

  TempDir temp_;
  std::string registry_;
};

TEST_F(ModelsCli, RegisterDeployRollbackAndReadTheLog) {
  for (int i = 1; i <= 3; ++i) {
    const CommandRun run = models("register " + temp_.file("model" + std::to_string(i)) +
                                  " --name spend --author alice --git-commit 1a2b3c");
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("registered spend version " + std::to_string(i)), std::string::npos)
        << run.output;
  }
  EXPECT_EQ(models("deploy spend 2 --alias production --author bob").output,
            "deployed spend production: (new) -> 2\n");
  EXPECT_EQ(models("deploy spend 3 --alias production --author bob").output,
            "deployed spend production: 2 -> 3\n");
  EXPECT_EQ(models("deploy spend 3 --alias production").output,
            "spend production is already at version 3: nothing changed\n");
  EXPECT_EQ(models("rollback spend --alias production --author carol --comment 'bad MAE'").output,
            "rolled back spend production: 3 -> 2\n");

  const CommandRun list = models("list");
  EXPECT_NE(list.output.find("spend  3         3"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("production=2"), std::string::npos) << list.output;

  const CommandRun show = models("show spend production --json");
  ASSERT_EQ(show.exit_code, 0) << show.output;
  const auto shown = nlohmann::json::parse(show.output);
  EXPECT_EQ(shown["version"], 2);
  EXPECT_EQ(shown["aliases"], nlohmann::json::array({"production"}));
  EXPECT_EQ(shown["git_commit"], "1a2b3c");
  EXPECT_EQ(shown["metrics"]["mae"], 15000.0);
  EXPECT_EQ(shown["model_spec"], "tweedie_model");

  const auto history = nlohmann::json::parse(models("history spend --json").output);
  ASSERT_EQ(history.size(), 6u);  // 3 registrations, 2 deploys, 1 rollback
  EXPECT_EQ(history[5]["action"], "rollback");
  EXPECT_EQ(history[5]["actor"], "carol");
  EXPECT_EQ(history[5]["from_version"], 3);
  EXPECT_EQ(history[5]["to_version"], 2);
  EXPECT_EQ(history[5]["comment"], "bad MAE");
  const CommandRun table = models("history spend");
  EXPECT_NE(table.output.find("carol  rollback  spend  production  3     2   bad MAE"),
            std::string::npos)
      << table.output;
}

TEST_F(ModelsCli, SyncShowsThePlanAppliesItAndRefusesBadFiles) {
  for (int i = 1; i <= 2; ++i)
    ASSERT_EQ(
        models("register " + temp_.file("model" + std::to_string(i)) + " --name spend").exit_code,
        0);
  const std::string file = temp_.write("deploy.toml", "[models.spend]\nproduction = 2\n");
  const CommandRun dry = run_playsight("sync " + file + " --dry-run " + registry_);
  EXPECT_EQ(dry.output, file +
                            " (dry run, nothing applied): 1 alias would move, 0 already as the "
                            "file says\n  spend production: (new) -> 2\n");
  const CommandRun applied = run_playsight("sync " + file + " " + registry_);
  EXPECT_EQ(applied.output,
            file + ": 1 alias moved, 0 already as the file says\n  spend production: (new) -> 2\n");
  const auto history = nlohmann::json::parse(models("history --json").output);
  EXPECT_EQ(history.back()["action"], "sync");
  EXPECT_EQ(history.back()["comment"], file);

  const std::string bad = temp_.write("bad.toml", "[models.spend]\nproduction = 7\n");
  const CommandRun refused = run_playsight("sync " + bad + " " + registry_);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.output, "playsight: error: " + bad +
                                ":2: models.spend.production = 7: model 'spend' has no version 7 "
                                "(it has versions 1 to 2)\n");
}

TEST_F(ModelsCli, BadInputExitsTwoWithOneLineNamingIt) {
  std::filesystem::create_directories(temp_.file("not_a_model"));
  const CommandRun no_model_json =
      models("register " + temp_.file("not_a_model") + " --name spend");
  EXPECT_EQ(no_model_json.exit_code, 2);
  EXPECT_EQ(no_model_json.output, "playsight: error: " + temp_.file("not_a_model") +
                                      ": no model.json; expected a model folder written by "
                                      "`playsight train` or `playsight compare --save-models`\n");
  ASSERT_EQ(models("register " + temp_.file("model1") + " --name spend").exit_code, 0);
  const CommandRun unknown_model = models("deploy churn 1 --alias production");
  EXPECT_EQ(unknown_model.exit_code, 2);
  EXPECT_NE(unknown_model.output.find("unknown model 'churn'"), std::string::npos);
  const CommandRun unknown_version = models("show spend 4");
  EXPECT_EQ(unknown_version.exit_code, 2);
  EXPECT_EQ(unknown_version.output,
            "playsight: error: model 'spend' has no version 4 (it has versions 1 to 1)\n");
  EXPECT_EQ(models("deploy spend one --alias production").exit_code, 2);
  EXPECT_EQ(run_playsight("models list --registry mysql://x/y").exit_code, 2);
}

}  // namespace
}  // namespace playsight::testing
