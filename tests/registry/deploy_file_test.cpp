// The deploy file reader: what it accepts, the FILE:LINE: KEY errors for what it does not, and a
// fuzz-style run of mangled files that must each be read or refused with an InputError.
#include "registry/deploy_file.h"

#include <gtest/gtest.h>

#include <random>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight::testing {
namespace {

using registry::parse_deploy_file;

std::string error_of(const std::string& text) {
  return input_error_of([&] { parse_deploy_file(text, "deploy.toml"); });
}

TEST(DeployFile, ReadsModelsAliasesAndVersionsInFileOrderWithTheirLines) {
  const auto file = parse_deploy_file(
      "# what runs where\n"
      "[models.spend]\n"
      "staging = 4\n"
      "production = 3\n"
      "\n"
      "[models.churn]\n"
      "production = 12  # since Monday\n",
      "deploy.toml");
  EXPECT_EQ(file.path, "deploy.toml");
  ASSERT_EQ(file.entries.size(), 3u);
  EXPECT_EQ(file.entries[0].model, "spend");
  EXPECT_EQ(file.entries[0].alias, "staging");
  EXPECT_EQ(file.entries[0].version, 4);
  EXPECT_EQ(file.entries[0].line, 3);
  EXPECT_EQ(file.entries[1].alias, "production");
  EXPECT_EQ(file.entries[1].line, 4);
  EXPECT_EQ(file.entries[2].model, "churn");
  EXPECT_EQ(file.entries[2].version, 12);
  EXPECT_EQ(file.entries[2].line, 7);
  EXPECT_TRUE(parse_deploy_file("", "empty.toml").entries.empty());
  EXPECT_EQ(parse_deploy_file("models.spend.production = 2\n", "x").entries.at(0).version, 2);
}

TEST(DeployFile, ErrorsNameTheFileTheLineAndTheKey) {
  EXPECT_EQ(error_of("[models.spend]\nproduction = \"3\"\n"),
            "deploy.toml:2: models.spend.production: expected a version number (an integer >= "
            "1), got a string");
  EXPECT_EQ(error_of("[models.spend]\nproduction = 0\n"),
            "deploy.toml:2: models.spend.production: expected a version number (an integer >= "
            "1), got 0");
  EXPECT_EQ(error_of("[models.spend]\nproduction = 3\n[model.churn]\nx = 1\n"),
            "deploy.toml:3: unknown key 'model'; expected only [models.NAME] tables");
  EXPECT_EQ(error_of("models = 3\n"),
            "deploy.toml:1: models: expected [models.NAME] tables, got an integer");
  EXPECT_EQ(error_of("[models]\nspend = 3\n"),
            "deploy.toml:2: models.spend: expected a table of alias = version, got an integer");
  EXPECT_EQ(error_of("[models.\"spend model\"]\nproduction = 3\n"),
            "deploy.toml:1: models.spend model: model name 'spend model' may only have letters, "
            "digits, '_' and '-' (1 to 64 of them)");
  const std::string duplicate = error_of("[models.spend]\nproduction = 3\nproduction = 4\n");
  EXPECT_EQ(duplicate.rfind("deploy.toml:3: not valid TOML: ", 0), 0u) << duplicate;
  const std::string broken = error_of("[models.spend\nproduction = 3\n");
  EXPECT_EQ(broken.rfind("deploy.toml:1: not valid TOML: ", 0), 0u) << broken;
  EXPECT_EQ(input_error_of([] { registry::read_deploy_file("/nonexistent/deploy.toml"); }),
            "/nonexistent/deploy.toml: cannot open the deploy file");
}

TEST(DeployFile, ReadsAFileFromDisk) {
  TempDir temp;
  const auto file =
      registry::read_deploy_file(temp.write("deploy.toml", "[models.spend]\nproduction = 3\n"));
  ASSERT_EQ(file.entries.size(), 1u);
  EXPECT_EQ(file.path, temp.file("deploy.toml"));
}

// Mangled files: random bytes replaced, inserted and deleted in a valid file. Each must be read
// (with sane entries) or refused with an InputError that starts with the file name; nothing else
// may escape and nothing may crash.
TEST(DeployFile, MangledFilesAreReadOrRefusedCleanly) {
  const std::string valid =
      "# deploys\n[models.spend]\nproduction = 3\nstaging = 4\n\n[models.churn]\n"
      "production = 1\n";
  const std::string alphabet = "[]=.\"'#{}\n \t,0123456789abcxyz-_\\\x01\xff";
  std::mt19937 random(8);
  int read = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = valid;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = random() % (text.size() + 1);
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          if (at < text.size()) text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          if (at < text.size()) text.erase(at, 1);
      }
    }
    try {
      const auto file = parse_deploy_file(text, "fuzz.toml");
      for (const auto& entry : file.entries) {
        ASSERT_GE(entry.version, 1) << text;
        ASSERT_TRUE(registry::is_valid_name(entry.model)) << text;
        ASSERT_TRUE(registry::is_valid_name(entry.alias)) << text;
        ASSERT_GE(entry.line, 1) << text;
      }
      ++read;
    } catch (const InputError& error) {
      ASSERT_EQ(std::string(error.what()).rfind("fuzz.toml:", 0), 0u) << error.what();
      ++refused;
    }
  }
  EXPECT_GT(read, 100);
  EXPECT_GT(refused, 100);
}

}  // namespace
}  // namespace playsight::testing
