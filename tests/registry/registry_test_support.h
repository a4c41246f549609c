#pragma once
// What the registry suites share: the two backends as a test parameter (each test gets a fresh,
// empty registry of that kind), and small model artifact folders to register.
#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>

#include "../support/postgres_server.h"
#include "../support/temp_dir.h"
#include "registry/registry.h"

namespace playsight::testing {

enum class Backend { sqlite, postgres };

inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::sqlite ? "sqlite" : "postgres");
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

// A fixture whose registry is a fresh SQLite file or a fresh PostgreSQL database; the artifact
// store is a folder of the test's temp dir either way.
class RegistryBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::sqlite) {
      url_ = "sqlite://" + temp_.file("registry/registry.db");
    } else {
      try {
        url_ = new_postgres_database_url();
      } catch (const std::exception& error) {
        FAIL() << error.what();
      }
    }
    options_ = {url_, temp_.file("store")};
  }

  registry::ModelRegistry open() const { return registry::ModelRegistry(options_); }

  // A model folder like `playsight train` writes: model.json plus a model file.
  std::string write_artifact(const std::string& name, const std::string& trees,
                             double mae = 11749.5) const {
    const std::filesystem::path folder = temp_.file(name);
    std::filesystem::create_directories(folder);
    temp_.write(name + "/model.xgb.json", trees);
    temp_.write(name + "/model.json",
                R"({"kind": "playsight.spend_model", "alias": "ensemble_model",
                    "metrics": {"mae": )" +
                    std::to_string(mae) + R"(, "normalized_gini": 0.925},
                    "training": {"train_players": 60310, "population": "control"},
                    "playsight_version": "0.1.0", "created_by": "trainer"})");
    return folder.string();
  }

  // Registers `count` versions of the model "spend", each with different trees.
  void register_versions(registry::ModelRegistry& registry, int count) const {
    for (int i = 1; i <= count; ++i) {
      const std::string name = "spend" + std::to_string(i);
      registry.register_version({write_artifact(name, "trees " + name), "spend", "", {}});
    }
  }

  TempDir temp_;
  std::string url_;
  registry::RegistryOptions options_;
};

}  // namespace playsight::testing
