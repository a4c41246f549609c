// The keys file keeps salted hashes only (access/api_keys.h): no key text and no unsalted hash of
// it, a salt per entry (so two entries of one key text hash apart), old unsalted files load and
// are rewritten salted by the next save, and a wrong key of the right shape is refused.
#include "access/api_keys.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "../support/checks.h"
#include "../support/temp_dir.h"
#include "core/error.h"
#include "registry/content_hash.h"

namespace playsight::testing {
namespace {

using access::ApiKeys;
using access::Role;
using nlohmann::json;

std::string read_text(const std::string& path) {
  std::ifstream file(path);
  return {std::istreambuf_iterator<char>(file), {}};
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A keys file as versions before salting wrote it: {"name", "role", "sha256", "created_at"}.
std::string unsalted_file(const std::vector<std::pair<std::string, std::string>>& name_and_key) {
  json keys = json::array();
  for (const auto& [name, key] : name_and_key)
    keys.push_back({{"name", name},
                    {"role", "deploy"},
                    {"sha256", registry::sha256_hex(key)},
                    {"created_at", "2026-11-01T10:00:00Z"}});
  return json{{"keys", keys}}.dump(2);
}

const std::string kOldKey = "psk_0123456789abcdef0123456789abcdef0123456789abcdef";
const std::string kOtherOldKey = "psk_fedcba9876543210fedcba9876543210fedcba9876543210";

TEST(ApiKeysFile, HoldsNoKeyTextAndNoUnsaltedHashOfIt) {
  TempDir temp;
  ApiKeys keys;
  const std::vector<std::string> texts = {keys.add("reader", Role::predict),
                                          keys.add("deployer", Role::deploy),
                                          keys.add("admin", Role::admin)};
  keys.save(temp.file("keys.json"));
  const std::string stored = read_text(temp.file("keys.json"));
  for (const std::string& text : texts) {
    EXPECT_TRUE(std::regex_match(text, std::regex("psk_[0-9a-f]{48}"))) << text;
    EXPECT_EQ(stored.find(text), std::string::npos) << "a key's text is in the file";
    EXPECT_EQ(stored.find(text.substr(4)), std::string::npos) << "a key's digits are in the file";
    EXPECT_EQ(stored.find(registry::sha256_hex(text)), std::string::npos)
        << "a key's unsalted SHA-256 is in the file";
  }
  const json file = json::parse(stored);
  ASSERT_EQ(file["keys"].size(), 3u);
  for (const json& entry : file["keys"]) {
    EXPECT_FALSE(entry.contains("sha256"));
    EXPECT_TRUE(std::regex_match(entry["salt"].get<std::string>(), std::regex("[0-9a-f]{32}")));
    EXPECT_TRUE(std::regex_match(entry["hash"].get<std::string>(), std::regex("[0-9a-f]{64}")));
  }
  const ApiKeys loaded = ApiKeys::load(temp.file("keys.json"));
  EXPECT_EQ(loaded.migrated(), 0u);
  ASSERT_TRUE(loaded.find(texts[1]));
  EXPECT_EQ(loaded.find(texts[1])->name, "deployer");
  EXPECT_EQ(loaded.find(texts[1])->role, Role::deploy);
  EXPECT_EQ(loaded.find(texts[2])->name, "admin");
}

TEST(ApiKeysFile, TwoEntriesOfTheSameKeyTextGetDifferentHashes) {
  // Two keys with one text cannot be drawn (192 random bits); an old file can hold them.
  TempDir temp;
  write_text(temp.file("keys.json"), unsalted_file({{"first", kOldKey}, {"second", kOldKey}}));
  const ApiKeys keys = ApiKeys::load(temp.file("keys.json"));
  ASSERT_EQ(keys.keys().size(), 2u);
  EXPECT_NE(keys.keys()[0].salt, keys.keys()[1].salt);
  EXPECT_NE(keys.keys()[0].hash, keys.keys()[1].hash);
  ASSERT_TRUE(keys.find(kOldKey));
  EXPECT_EQ(keys.find(kOldKey)->name, "first");
  keys.save(temp.file("keys.json"));
  const json file = json::parse(read_text(temp.file("keys.json")));
  EXPECT_NE(file["keys"][0]["hash"], file["keys"][1]["hash"]);
}

TEST(ApiKeysFile, AnUnsaltedFileLoadsItsKeysWorkAndTheNextSaveSaltsIt) {
  TempDir temp;
  const std::string path = temp.file("keys.json");
  write_text(path, unsalted_file({{"ci", kOldKey}, {"ops", kOtherOldKey}}));
  ApiKeys keys = ApiKeys::load(path);
  EXPECT_EQ(keys.migrated(), 2u);
  ASSERT_TRUE(keys.find(kOldKey));
  EXPECT_EQ(keys.find(kOldKey)->name, "ci");
  EXPECT_EQ(keys.find(kOldKey)->role, Role::deploy);
  EXPECT_EQ(keys.find(kOldKey)->created_at, "2026-11-01T10:00:00Z");
  EXPECT_EQ(keys.find(kOtherOldKey)->name, "ops");
  keys.save(path);
  const std::string stored = read_text(path);
  EXPECT_EQ(stored.find("sha256"), std::string::npos);
  EXPECT_EQ(stored.find(registry::sha256_hex(kOldKey)), std::string::npos);
  const ApiKeys again = ApiKeys::load(path);
  EXPECT_EQ(again.migrated(), 0u);
  EXPECT_EQ(again.find(kOldKey)->name, "ci");
  EXPECT_EQ(again.find(kOtherOldKey)->name, "ops");
}

TEST(ApiKeysFile, TheKeysCommandRewritesAnUnsaltedFileSalted) {
  TempDir temp;
  const std::string path = temp.file("keys.json");
  write_text(path, unsalted_file({{"ci", kOldKey}}));
  const CommandRun added = run_playsight("serve keys add newcomer --role predict --keys " + path);
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_NE(added.output.find("salted 1 entries of " + path), std::string::npos) << added.output;
  EXPECT_EQ(read_text(path).find("sha256"), std::string::npos);
  const ApiKeys keys = ApiKeys::load(path);
  EXPECT_EQ(keys.keys().size(), 2u);
  EXPECT_EQ(keys.find(kOldKey)->name, "ci");
}

TEST(ApiKeysFile, AWrongKeyOfTheRightShapeIsRefused) {
  ApiKeys keys;
  const std::string text = keys.add("reader", Role::predict);
  ASSERT_TRUE(keys.find(text));
  std::string wrong = text;
  wrong.back() = wrong.back() == '0' ? '1' : '0';  // one hex digit off
  EXPECT_FALSE(keys.find(wrong));
  EXPECT_FALSE(keys.find("psk_" + std::string(48, '0')));
  EXPECT_FALSE(keys.find(text.substr(0, text.size() - 1)));
  EXPECT_FALSE(keys.find(""));
  EXPECT_FALSE(keys.find(registry::sha256_hex(text)));
}

TEST(ApiKeysFile, ADamagedEntryIsAnErrorNamingTheFileAndTheEntry) {
  TempDir temp;
  const std::string path = temp.file("keys.json");
  const auto error_of = [&](const std::string& text) {
    write_text(path, text);
    try {
      ApiKeys::load(path);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of(R"({"keys": [{"name": "a", "role": "predict", "salt": "00", "hash": ")" +
                     std::string(64, 'a') + "\"}]}"),
            path + ": keys[0]: salt: expected 32 lowercase hex digits");
  EXPECT_EQ(error_of(R"({"keys": [{"name": "a", "role": "predict", "sha256": "XYZ"}]})"),
            path + ": keys[0]: sha256: expected 64 lowercase hex digits");
  EXPECT_EQ(error_of(R"({"keys": [7]})"), path + ": keys[0]: expected an object");
  EXPECT_NE(error_of(R"({"keys": [{"name": "a", "role": "predict", "salt": ")" +
                     std::string(32, '0') + "\"}]}")
                .find(path + ": keys[0]: "),
            std::string::npos);
}

}  // namespace
}  // namespace playsight::testing
