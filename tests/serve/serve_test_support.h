#pragma once
// What the serve suites share:
//   - trained_game(): a game made once per build folder (build/test-data/serve-game-1/, under a
//     file lock, so that CTest's one-process-per-test runs do not each remake it): logs of 20,000
//     players from `playsight generate --seed 1` and their feature table (the training
//     population), two models trained on it (mse_model and tweedie_model), and two more feature
//     tables: another seed of the same generator, and a shifted generator (another seed, 45 days
//     of history instead of 120, a later cutoff);
//   - ServeTest: a fresh registry (SQLite) with those models as versions 1 and 2 of "spend",
//     production at 1, a keys file with one key per role, and a Service on 127.0.0.1 at a free
//     port, run on a thread and stopped when the test ends;
//   - players_body(): a prediction request for some rows of a feature table.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/file.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "../support/checks.h"
#include "../support/temp_dir.h"
#include "access/api_keys.h"
#include "core/table.h"
#include "registry/content_hash.h"
#include "serve/server.h"
#include "spend/models/feature_matrix.h"
#include "tasks/wiring.h"

namespace playsight::testing {

struct TrainedGame {
  std::string folder;
  std::string file(const std::string& name) const { return folder + "/" + name; }
  std::string features() const { return file("features.csv"); }
  std::string same_distribution_features() const { return file("same/features.csv"); }
  std::string shifted_features() const { return file("shifted/features.csv"); }
  std::string model_a() const { return file("model_a"); }
  std::string model_b() const { return file("model_b"); }
};

inline void run_or_fail(const std::string& arguments) {
  const CommandRun run = run_playsight(arguments);
  if (run.exit_code != 0)
    throw std::runtime_error("playsight " + arguments + " failed: " + run.output);
}

inline const TrainedGame& trained_game() {
  static const TrainedGame game = [] {
    const std::filesystem::path build = std::filesystem::path(PLAYSIGHT_BINARY).parent_path();
    TrainedGame out{(build / "test-data" / "serve-game-1").string()};
    std::filesystem::create_directories(build / "test-data");
    const std::string lock_path = out.folder + ".lock";
    const int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0644);
    ::flock(lock, LOCK_EX);
    if (!std::filesystem::exists(out.file("ready"))) {
      std::filesystem::remove_all(out.folder);
      std::filesystem::create_directories(out.folder);
      const auto make_game = [&](const std::string& name, const std::string& options) {
        run_or_fail("generate --out " + out.file(name + "/logs") + " --players 20000 " + options);
        run_or_fail("features --logs " + out.file(name + "/logs") + " --out " +
                    out.file(name + "/features.csv") + " --no-item-groups --progress never");
      };
      make_game("train", "--seed 1");
      std::filesystem::rename(out.file("train/features.csv"), out.features());
      make_game("same", "--seed 2");
      make_game("shifted", "--seed 3 --history-days 45 --cutoff 2026-12-15");
      run_or_fail("train --features " + out.features() + " --model mse_model --all-players --out " +
                  out.model_a());
      run_or_fail("train --features " + out.features() +
                  " --model tweedie_model --all-players --out " + out.model_b());
      std::ofstream(out.file("ready")) << "ok\n";
    }
    ::flock(lock, LOCK_UN);
    ::close(lock);
    return out;
  }();
  return game;
}

// {"players": [...]} for rows [begin, begin + count) of the table, with the model's features.
inline std::string players_body(const Table& table, std::size_t begin, std::size_t count) {
  const std::vector<std::string> features = spend::model_feature_columns(table);
  nlohmann::json players = nlohmann::json::array();
  for (std::size_t r = begin; r < begin + count && r < table.rows(); ++r) {
    nlohmann::json values = nlohmann::json::object();
    for (const std::string& name : features) {
      const double value = table.column(name)[r];
      values[name] = std::isnan(value) ? nlohmann::json() : nlohmann::json(value);
    }
    players.push_back({{"player_id", table.keys[r]}, {"features", values}});
  }
  return nlohmann::json{{"players", players}}.dump();
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      game_ = &trained_game();
    } catch (const std::exception& error) {
      FAIL() << error.what();
    }
    registry_url_ = "sqlite://" + temp_.file("registry/registry.db");
    registry::ModelRegistry registry({registry_url_, temp_.file("store")});
    registry.register_version({game_->model_a(), "spend", "", {"trainer", ""}});
    registry.register_version({game_->model_b(), "spend", "", {"trainer", ""}});
    registry.deploy("spend", 1, "production", {"setup", ""});
    access::ApiKeys keys;
    predict_key_ = keys.add("reader", access::Role::predict);
    deploy_key_ = keys.add("deployer", access::Role::deploy);
    admin_key_ = keys.add("admin", access::Role::admin);
    keys.save(keys_file());
  }

  void TearDown() override { stop(); }

  std::string keys_file() const { return temp_.file("keys.json"); }

  serve::ServiceOptions default_options() const {
    serve::ServiceOptions options;
    options.port = 0;
    options.keys_file = keys_file();
    options.models.registry = {registry_url_, temp_.file("store")};
    options.models.served = {{"spend", "production"}};
    options.models.poll_interval = std::chrono::milliseconds(50);
    options.report_formats = tasks::report_formats();
    return options;
  }

  // default_options() with the job runner on (its folder in the test's temporary folder).
  serve::ServiceOptions job_service_options() const {
    serve::ServiceOptions options = default_options();
    jobs::RunnerOptions runner;
    runner.folder = temp_.file("jobs");
    runner.poll_interval = std::chrono::milliseconds(50);
    runner.playsight_binary = PLAYSIGHT_BINARY;
    runner.task_command = tasks::runner_task_command();
    options.jobs = runner;
    options.job_tasks = tasks::job_tasks();
    return options;
  }

  void start(const serve::ServiceOptions& options) {
    service_ = std::make_unique<serve::Service>(options);
    port_ = service_->bind();
    thread_ = std::thread([this] { service_->run(); });
    // Bound by the event (the port answers /healthz), with a deadline generous enough for a
    // machine whose cores are loaded by other work.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto reply = client().Get("/healthz"); reply && reply->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "the service did not answer /healthz within 60 s";
  }
  void start() { start(default_options()); }

  void stop() {
    if (!service_) return;
    service_->stop();
    if (thread_.joinable()) thread_.join();
    service_.reset();
  }

  httplib::Client client() const {
    httplib::Client out("127.0.0.1", port_);
    out.set_read_timeout(30);
    out.set_tcp_nodelay(true);  // else Nagle and delayed ACKs add ~40 ms to each POST
    return out;
  }

  httplib::Headers bearer(const std::string& key) const {
    return {{"Authorization", "Bearer " + key}};
  }

  httplib::Result post(const std::string& path, const std::string& body,
                       const std::string& key) const {
    return client().Post(path.c_str(), bearer(key), body, "application/json");
  }

  static nlohmann::json json_of(const httplib::Result& result) {
    return nlohmann::json::parse(result->body);
  }

  const TrainedGame* game_ = nullptr;
  TempDir temp_;
  std::string registry_url_;
  std::string predict_key_, deploy_key_, admin_key_;
  std::unique_ptr<serve::Service> service_;
  std::thread thread_;
  int port_ = 0;
};

inline const std::string kPredictPath = "/v1/models/spend/aliases/production/predict";

}  // namespace playsight::testing
