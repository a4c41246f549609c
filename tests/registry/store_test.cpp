// Content hashes, registry URLs and the schema's version: the parts below the registry.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "../support/checks.h"
#include "../support/temp_dir.h"
#include "registry/content_hash.h"
#include "registry/registry.h"

namespace playsight::testing {
namespace {

TEST(ContentHash, IsSha256) {
  EXPECT_EQ(registry::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(registry::sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ContentHash, FollowsContentsNamesAndFilesButNotWhereTheFolderIs) {
  TempDir a, b;
  for (const TempDir* dir : {&a, &b}) {
    dir->write("model.json", "{}");
    std::filesystem::create_directories(dir->file("trees"));
    dir->write("trees/1.json", "tree one");
  }
  const std::string hash = registry::hash_folder(a.path());
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(registry::hash_folder(b.path()), hash);
  b.write("trees/1.json", "tree 1");
  EXPECT_NE(registry::hash_folder(b.path()), hash);
  b.write("trees/1.json", "tree one");
  EXPECT_EQ(registry::hash_folder(b.path()), hash);
  std::filesystem::rename(b.file("trees/1.json"), b.file("trees/2.json"));
  EXPECT_NE(registry::hash_folder(b.path()), hash);
  std::filesystem::rename(b.file("trees/2.json"), b.file("trees/1.json"));
  b.write("extra.txt", "");
  EXPECT_NE(registry::hash_folder(b.path()), hash);
}

TEST(RegistryUrl, SqliteFormsAndUnknownSchemes) {
  EXPECT_EQ(*registry::sqlite_path_of("sqlite:///var/reg/registry.db"), "/var/reg/registry.db");
  EXPECT_EQ(*registry::sqlite_path_of("sqlite://./reg/registry.db"), "./reg/registry.db");
  EXPECT_EQ(*registry::sqlite_path_of("reg/registry.db"), "reg/registry.db");
  EXPECT_FALSE(registry::sqlite_path_of("postgresql://me@127.0.0.1:5432/reg"));
  EXPECT_EQ(input_error_of([] { registry::sqlite_path_of("mysql://me@host/reg"); }),
            "registry URL 'mysql://me@host/reg': unknown scheme; expected "
            "sqlite:///path/registry.db, a plain path, or postgresql://user@host:port/database");
}

TEST(RegistryUrl, PlainPathOpensSqliteAndStoresArtifactsBesideIt) {
  TempDir temp;
  registry::ModelRegistry registry({temp.file("reg/registry.db"), ""});
  EXPECT_EQ(registry.store_folder(), std::filesystem::path(temp.file("reg")) / "store");
  EXPECT_TRUE(std::filesystem::exists(temp.file("reg/registry.db")));
}

TEST(RegistryUrl, UnreachablePostgresIsUnavailableNamingTheUrlWithoutItsPassword) {
  std::string message = "(no error)";
  try {
    registry::ModelRegistry({"postgresql://me:secret@127.0.0.1:1/reg", "/tmp/x"});
  } catch (const registry::UnavailableError& error) {
    message = error.what();
  }
  EXPECT_EQ(message.rfind("the model registry postgresql://me:***@127.0.0.1:1/reg is unavailable "
                          "(cannot connect to PostgreSQL: ",
                          0),
            0u)
      << message;
  EXPECT_TRUE(message.ends_with("); retry later")) << message;
  EXPECT_EQ(message.find("secret"), std::string::npos);
}

TEST(RegistrySchema, IsVersionedAndANewerOneIsRefused) {
  TempDir temp;
  const std::string path = temp.file("registry.db");
  { registry::ModelRegistry registry({path, ""}); }
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(database, "SELECT version FROM schema_version", -1, &statement, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), 1);
  EXPECT_EQ(sqlite3_step(statement), SQLITE_DONE);  // one row
  sqlite3_finalize(statement);
  ASSERT_EQ(
      sqlite3_exec(database, "UPDATE schema_version SET version = 2", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(database);
  EXPECT_EQ(
      input_error_of([&] {
        registry::ModelRegistry registry({path, ""});
      }),
      path + ": the registry's schema is version 2, newer than this playsight understands (1)");
}

}  // namespace
}  // namespace playsight::testing
