// The registry's behaviour, run against both backends (SQLite and a real PostgreSQL server).
#include <gtest/gtest.h>

#include <fstream>

#include "../support/checks.h"
#include "registry/content_hash.h"
#include "registry_test_support.h"

namespace playsight::testing {
namespace {

using registry::AuditEntry;
using registry::ChangeNote;
using registry::DeployFile;
using registry::ModelRegistry;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int alias_version(ModelRegistry& registry, const std::string& model, const std::string& alias) {
  for (const auto& state : registry.aliases(model))
    if (state.alias == alias) return state.version;
  return 0;
}

std::vector<AuditEntry> alias_history(ModelRegistry& registry, const std::string& model,
                                      const std::string& alias) {
  std::vector<AuditEntry> out;
  for (const AuditEntry& entry : registry.history(model))
    if (entry.alias == alias) out.push_back(entry);
  return out;
}

using RegistryTest = RegistryBackendTest;

TEST_P(RegistryTest, VersionsAreNumberedPerModelAndKeepTheArtifactsFacts) {
  ModelRegistry registry = open();
  const std::string folder = write_artifact("spend_a", "trees a", 11749.5);
  const auto first = registry.register_version({folder, "spend", "abc123", {"alice", "first"}});
  const auto second =
      registry.register_version({write_artifact("spend_b", "trees b"), "spend", "", {"bob", ""}});
  const auto churn =
      registry.register_version({write_artifact("churn_a", "trees c"), "churn", "", {"carol", ""}});
  EXPECT_EQ(first.version.version, 1);
  EXPECT_EQ(second.version.version, 2);
  EXPECT_EQ(churn.version.version, 1);

  const registry::ModelVersion shown = registry.version("spend", "1");
  EXPECT_EQ(shown.author, "alice");
  EXPECT_EQ(shown.comment, "first");
  EXPECT_EQ(shown.git_commit, "abc123");
  EXPECT_EQ(shown.playsight_version, "0.1.0");
  EXPECT_EQ(shown.model_spec, "ensemble_model");
  EXPECT_DOUBLE_EQ(shown.metrics.at("mae").get<double>(), 11749.5);
  EXPECT_EQ(shown.training.at("train_players").get<int>(), 60310);
  EXPECT_EQ(shown.source_folder, folder);
  EXPECT_EQ(shown.content_hash, registry::hash_folder(folder));
  ASSERT_EQ(shown.created_at.size(), 20u);  // YYYY-MM-DDTHH:MM:SSZ
  EXPECT_EQ(shown.created_at[10], 'T');
  EXPECT_EQ(registry.version("spend", "").version, 2);  // the latest

  const auto models = registry.models();
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].model, "churn");
  EXPECT_EQ(models[1].model, "spend");
  EXPECT_EQ(models[1].version_count, 2);
  EXPECT_EQ(models[1].latest_version, 2);

  const auto history = registry.history("spend");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].action, "register");
  EXPECT_EQ(history[0].actor, "alice");
  EXPECT_EQ(history[0].to_version, 1);
  EXPECT_EQ(history[1].actor, "bob");
  EXPECT_EQ(registry.history("").size(), 3u);
}

TEST_P(RegistryTest, HashFollowsContentAndTheStoredCopyNeverChanges) {
  ModelRegistry registry = open();
  const std::string folder = write_artifact("spend", "trees v1");
  const auto v1 = registry.register_version({folder, "spend", "", {}});
  temp_.write("spend/model.xgb.json", "trees v2");
  const auto v2 = registry.register_version({folder, "spend", "", {}});
  EXPECT_NE(v1.version.content_hash, v2.version.content_hash);
  EXPECT_FALSE(v2.same_content_as);

  // The stored copy of version 1 still holds what was registered.
  EXPECT_EQ(read_text(std::filesystem::path(v1.version.stored_folder) / "model.xgb.json"),
            "trees v1");
  EXPECT_EQ(registry::hash_folder(v1.version.stored_folder), v1.version.content_hash);

  // The same files elsewhere: the same hash, noticed as the same content.
  const auto v3 = registry.register_version({write_artifact("copy", "trees v1"), "spend", "", {}});
  EXPECT_EQ(v3.version.content_hash, v1.version.content_hash);
  EXPECT_EQ(v3.same_content_as, 1);
  EXPECT_EQ(v3.version.version, 3);
}

TEST_P(RegistryTest, BadFoldersAndNamesAreRefusedAndRegisterNothing) {
  ModelRegistry registry = open();
  std::filesystem::create_directories(temp_.file("empty"));
  EXPECT_EQ(input_error_of([&] {
              registry.register_version({temp_.file("empty"), "spend", "", {}});
            }),
            temp_.file("empty") +
                ": no model.json; expected a model folder written by `playsight train` or "
                "`playsight compare --save-models`");
  EXPECT_NE(input_error_of([&] {
              registry.register_version({temp_.file("nowhere"), "spend", "", {}});
            }).find("nowhere: not a folder"),
            std::string::npos);
  temp_.write("empty/model.json", "{not json");
  EXPECT_NE(input_error_of([&] {
              registry.register_version({temp_.file("empty"), "spend", "", {}});
            }).find("model.json: not valid JSON"),
            std::string::npos);
  EXPECT_NE(input_error_of([&] {
              registry.register_version({write_artifact("ok", "t"), "spend model", "", {}});
            }).find("model name 'spend model'"),
            std::string::npos);
  EXPECT_TRUE(registry.models().empty());
  EXPECT_TRUE(registry.history("").empty());
}

TEST_P(RegistryTest, DeployMovesTheAliasAndWritesWhoFromAndTo) {
  ModelRegistry registry = open();
  register_versions(registry, 3);
  const auto first = registry.deploy("spend", 1, "production", {"alice", "first release"});
  EXPECT_EQ(first.from_version, std::nullopt);
  EXPECT_EQ(alias_version(registry, "spend", "production"), 1);
  const auto second = registry.deploy("spend", 3, "production", {"bob", ""});
  EXPECT_EQ(second.from_version, 1);
  EXPECT_EQ(alias_version(registry, "spend", "production"), 3);
  registry.deploy("spend", 2, "staging", {"carol", ""});
  EXPECT_EQ(alias_version(registry, "spend", "staging"), 2);
  EXPECT_EQ(alias_version(registry, "spend", "production"), 3);

  // Deploying where the alias already points changes nothing and writes no row.
  EXPECT_FALSE(registry.deploy("spend", 3, "production", {"bob", ""}).changed());

  const auto rows = alias_history(registry, "spend", "production");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].action, "deploy");
  EXPECT_EQ(rows[0].actor, "alice");
  EXPECT_EQ(rows[0].comment, "first release");
  EXPECT_EQ(rows[0].from_version, std::nullopt);
  EXPECT_EQ(rows[0].to_version, 1);
  EXPECT_EQ(rows[1].actor, "bob");
  EXPECT_EQ(rows[1].from_version, 1);
  EXPECT_EQ(rows[1].to_version, 3);
  EXPECT_EQ(registry.version("spend", "production").version, 3);
}

TEST_P(RegistryTest, UnknownModelVersionOrAliasIsAnErrorNamingIt) {
  ModelRegistry registry = open();
  registry.register_version({write_artifact("m", "t"), "spend", "", {}});
  EXPECT_EQ(input_error_of([&] { registry.deploy("spnd", 1, "production", {}); }),
            "unknown model 'spnd' in the registry " + url_ + " (models: spend)");
  EXPECT_EQ(input_error_of([&] { registry.deploy("spend", 9, "production", {}); }),
            "model 'spend' has no version 9 (it has versions 1 to 1)");
  EXPECT_EQ(input_error_of([&] { registry.rollback("spend", "production", {}); }),
            "model 'spend' has no alias 'production' (aliases: none)");
  EXPECT_EQ(input_error_of([&] { registry.version("spend", "prod"); }),
            "model 'spend' has no version or alias 'prod' (aliases: none; it has versions 1 to 1)");
  EXPECT_EQ(input_error_of([&] { registry.history("churn"); }),
            "unknown model 'churn' in the registry " + url_ + " (models: spend)");
  EXPECT_EQ(registry.history("spend").size(), 1u);  // only the registration
}

TEST_P(RegistryTest, RepeatedRollbacksWalkBackThroughTheDeploys) {
  ModelRegistry registry = open();
  register_versions(registry, 3);
  for (int version : {1, 2, 3}) registry.deploy("spend", version, "production", {});
  registry.deploy("spend", 1, "staging", {});  // another alias does not interfere

  auto move = registry.rollback("spend", "production", {"dave", "bad numbers"});
  EXPECT_EQ(move.from_version, 3);
  EXPECT_EQ(move.to_version, 2);
  EXPECT_EQ(alias_version(registry, "spend", "production"), 2);
  move = registry.rollback("spend", "production", {});
  EXPECT_EQ(move.to_version, 1);
  EXPECT_NE(input_error_of([&] {
              registry.rollback("spend", "production", {});
            }).find("nothing to roll back to"),
            std::string::npos);
  EXPECT_EQ(alias_version(registry, "spend", "production"), 1);

  // A deploy after rollbacks is undone by the next rollback.
  registry.deploy("spend", 3, "production", {});
  EXPECT_EQ(registry.rollback("spend", "production", {}).to_version, 1);

  const auto rows = alias_history(registry, "spend", "production");
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[3].action, "rollback");
  EXPECT_EQ(rows[3].actor, "dave");
  EXPECT_EQ(rows[3].comment, "bad numbers");
  EXPECT_EQ(rows[3].from_version, 3);
  EXPECT_EQ(rows[3].to_version, 2);
  EXPECT_EQ(alias_version(registry, "spend", "staging"), 1);
}

DeployFile deploy_file(const std::string& text) {
  return registry::parse_deploy_file(text, "deploy.toml");
}

TEST_P(RegistryTest, SyncMovesOnlyTheAliasesThatDiffer) {
  ModelRegistry registry = open();
  register_versions(registry, 4);
  registry.deploy("spend", 3, "production", {});
  const std::size_t rows_before = registry.history("spend").size();

  const DeployFile file = deploy_file("[models.spend]\nproduction = 3\nstaging = 4\n");
  const auto dry = registry.sync(file, {"erin", ""}, true);
  EXPECT_FALSE(dry.applied);
  ASSERT_EQ(dry.moves.size(), 1u);
  EXPECT_EQ(alias_version(registry, "spend", "staging"), 0);  // the dry run changed nothing
  EXPECT_EQ(registry.history("spend").size(), rows_before);

  const auto plan = registry.sync(file, {"erin", ""}, false);
  EXPECT_TRUE(plan.applied);
  ASSERT_EQ(plan.moves.size(), 1u);
  EXPECT_EQ(plan.moves[0].alias, "staging");
  EXPECT_EQ(plan.moves[0].from_version, std::nullopt);
  EXPECT_EQ(plan.moves[0].to_version, 4);
  ASSERT_EQ(plan.unchanged.size(), 1u);
  EXPECT_EQ(plan.unchanged[0].alias, "production");
  EXPECT_EQ(alias_version(registry, "spend", "staging"), 4);
  EXPECT_EQ(alias_version(registry, "spend", "production"), 3);

  const auto rows = registry.history("spend");
  ASSERT_EQ(rows.size(), rows_before + 1);
  EXPECT_EQ(rows.back().action, "sync");
  EXPECT_EQ(rows.back().actor, "erin");
  EXPECT_EQ(rows.back().comment, "deploy.toml");
  EXPECT_EQ(rows.back().alias, "staging");

  // Syncing the same file again moves nothing.
  EXPECT_TRUE(registry.sync(file, {}, false).moves.empty());
  EXPECT_EQ(registry.history("spend").size(), rows_before + 1);
}

TEST_P(RegistryTest, SyncWithAnyBadLineAppliesNothingAndNamesFileLineAndKey) {
  ModelRegistry registry = open();
  register_versions(registry, 2);
  registry.deploy("spend", 1, "production", {});
  const std::size_t rows_before = registry.history("").size();

  const DeployFile bad_version = deploy_file("[models.spend]\nproduction = 2\nstaging = 9\n");
  EXPECT_EQ(input_error_of([&] { registry.sync(bad_version, {}, false); }),
            "deploy.toml:3: models.spend.staging = 9: model 'spend' has no version 9 (it has "
            "versions 1 to 2)");
  const DeployFile bad_model =
      deploy_file("[models.spend]\nproduction = 2\n\n[models.churn]\nproduction = 1\n");
  EXPECT_EQ(input_error_of([&] { registry.sync(bad_model, {}, false); }),
            "deploy.toml:5: models.churn.production: unknown model 'churn' (models: spend)");

  EXPECT_EQ(alias_version(registry, "spend", "production"), 1);  // line 2 was not applied
  EXPECT_EQ(alias_version(registry, "spend", "staging"), 0);
  EXPECT_EQ(registry.history("").size(), rows_before);
}

TEST_P(RegistryTest, RevertingTheDeployFileAndSyncingRollsBack) {
  ModelRegistry registry = open();
  register_versions(registry, 2);
  const DeployFile old_file = deploy_file("[models.spend]\nproduction = 1\n");
  const DeployFile new_file = deploy_file("models.spend = { production = 2 }\n");
  registry.sync(old_file, {}, false);
  registry.sync(new_file, {}, false);
  EXPECT_EQ(alias_version(registry, "spend", "production"), 2);
  const auto plan = registry.sync(old_file, {}, false);
  ASSERT_EQ(plan.moves.size(), 1u);
  EXPECT_EQ(plan.moves[0].from_version, 2);
  EXPECT_EQ(alias_version(registry, "spend", "production"), 1);
}

TEST_P(RegistryTest, AReopenedRegistryHasEverything) {
  {
    ModelRegistry registry = open();
    registry.register_version({write_artifact("m", "t"), "spend", "", {}});
    registry.deploy("spend", 1, "production", {});
  }
  ModelRegistry reopened = open();
  EXPECT_EQ(alias_version(reopened, "spend", "production"), 1);
  EXPECT_EQ(reopened.history("spend").size(), 2u);
  EXPECT_EQ(
      reopened.register_version({write_artifact("m2", "t2"), "spend", "", {}}).version.version, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryTest,
                         ::testing::Values(Backend::sqlite, Backend::postgres), backend_name);

}  // namespace
}  // namespace playsight::testing
