// playsight train / predict: one spend model, trained under the protocol and saved as an
// artifact folder; then applied to any feature table with the columns it needs.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/error.h"
#include "core/table.h"
#include "spend/models/artifact.h"
#include "spend/models/training.h"

namespace playsight::cli {
namespace {

struct TrainFlags {
  std::string features;
  std::string alias;
  std::string out;
  std::string experiment;
  bool all_players = false;
  spend::ProtocolOptions protocol;
  spend::ModelOptions model;
};

std::string krw(double value) {
  if (std::isnan(value)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.0f", value);
  std::string digits = text, out;
  const bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (negative ? "-" : "") + out;
}

// Which part each player was in, so that anyone can reproduce the training (e.g. with Python's
// xgboost on the same rows: bench/train_peer.py).
void write_split(const Table& features, const spend::DataSplit& split,
                 const std::filesystem::path& path) {
  Table parts;
  parts.key_name = features.key_name;
  std::vector<double> part;
  const auto add = [&](const std::vector<std::size_t>& rows, double code) {
    for (std::size_t r : rows) {
      parts.keys.push_back(features.keys[r]);
      part.push_back(code);
    }
  };
  add(split.train, 0);
  add(split.validation, 1);
  add(split.test, 2);
  parts.add_column("part", std::move(part));  // 0 train, 1 validation, 2 test
  write_table_csv(parts, path.string(), CsvWriteOptions{});
}

// What the feature table was built from, read from the report that `playsight features` writes
// beside it (FEATURES.report.json), so that the model says which window it learned from.
nlohmann::json feature_provenance(const std::string& features_path) {
  const std::filesystem::path path(features_path);
  std::ifstream in(path.parent_path() / (path.stem().string() + ".report.json"));
  if (!in) return nullptr;
  try {
    const nlohmann::json report = nlohmann::json::parse(in);
    nlohmann::json provenance;
    for (const char* key : {"cutoff", "observation_days", "label_days"}) {
      if (report.contains(key)) provenance[key] = report[key];
    }
    return provenance;
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

void run_train(TrainFlags& flags) {
  const Table features = read_table_csv(flags.features, flags.model.threads);
  flags.protocol.experiment_path = flags.all_players ? "" : flags.experiment;
  flags.protocol.control_only = !flags.all_players;
  flags.protocol.seed = flags.model.seed;
  const spend::DataSplit split = spend::split_players(features, flags.protocol);
  spend::EvaluatedModel result =
      spend::train_and_evaluate(flags.alias, features, split, flags.model);
  result.artifact.training = spend::split_summary(features, split, flags.protocol);
  const nlohmann::json provenance = feature_provenance(flags.features);
  if (!provenance.is_null()) result.artifact.training["features"] = provenance;
  spend::save_model_artifact(result.artifact, flags.out);
  write_split(features, split, std::filesystem::path(flags.out) / "split.csv");
  const spend::SpendMetrics& m = result.metrics;
  std::printf("%s trained in %.2f s on %zu players (%s), validated on %zu, tested on %zu\n",
              flags.alias.c_str(), result.train_seconds, split.train.size(),
              split.population.c_str(), split.validation.size(), split.test.size());
  std::printf(
      "test: MAE %s KRW, MAPE+1000 %.3f, normalised Gini %.3f, Spearman %.3f, "
      "predicted/actual total %.3f, MAE on payers %s KRW\n",
      krw(m.mae).c_str(), m.mape_after_offset, m.normalized_gini, m.spearman, m.total_ratio,
      krw(m.mae_payers).c_str());
  std::printf("model:  %s/model.json (split: %s/split.csv, 0 train, 1 validation, 2 test)\n",
              flags.out.c_str(), flags.out.c_str());
}

struct PredictFlags {
  std::string model;
  std::string features;
  std::string out = "predictions.csv";
  unsigned threads = 0;
};

void run_predict(const PredictFlags& flags) {
  spend::ModelOptions options;
  options.threads = flags.threads;
  const spend::ModelArtifact artifact = spend::load_model_artifact(flags.model, options);
  const Table features = read_table_csv(flags.features, flags.threads);
  const spend::FeatureMatrix x(features, artifact.features);
  const spend::SpendPrediction prediction = artifact.model->predict(x);
  Table out;
  out.key_name = features.key_name;
  out.keys = features.keys;
  const std::string horizon =
      artifact.label.substr(std::string("topup_amount_").size());  // next_30d
  out.add_column("predicted_topup_amount_" + horizon, prediction.amount);
  if (!prediction.payer.empty()) {
    out.add_column("predicted_payer",
                   std::vector<double>(prediction.payer.begin(), prediction.payer.end()));
  }
  write_table_csv(out, flags.out, CsvWriteOptions{flags.threads, 2});
  double total = 0;
  for (double value : prediction.amount) total += value;
  std::printf("%zu players predicted with %s (%s): total %s KRW, mean %s KRW\n", x.rows(),
              artifact.alias.c_str(), flags.model.c_str(), krw(total).c_str(),
              krw(x.rows() ? total / static_cast<double>(x.rows()) : 0).c_str());
  std::printf("predictions: %s\n", flags.out.c_str());
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto flags = std::make_shared<TrainFlags>();
  CLI::App* command = app.add_subcommand(
      "train", "Train one spend model on a feature table and save it as a model folder.");
  command
      ->add_option("--features", flags->features,
                   "feature table from `playsight features` (with its label)")
      ->required();
  command->add_option("--model", flags->alias, "model alias (see `playsight compare --list`)")
      ->required();
  command->add_option("--out", flags->out, "model folder to write")->required();
  command->add_option("--experiment", flags->experiment,
                      "experiment.csv: train on the control group only (the default protocol)");
  command->add_flag("--all-players", flags->all_players, "use every player, nudged or not");
  command
      ->add_option(
          "--trim-top", flags->protocol.trim_top_share,
          "drop this top share of train/validation players by 90-day top-ups (the team used 0.1)")
      ->capture_default_str();
  command->add_option("--seed", flags->model.seed, "seed of the split and the trees")
      ->capture_default_str();
  command->add_option("--threads", flags->model.threads, "threads (0 = one per core)")
      ->capture_default_str();
  command->callback([flags] { run_train(*flags); });
}

void add_predict_command(CLI::App& app) {
  auto flags = std::make_shared<PredictFlags>();
  CLI::App* command =
      app.add_subcommand("predict", "Predict each player's top-up amount with a saved model.");
  command->add_option("--model", flags->model, "model folder written by `playsight train`")
      ->required();
  command
      ->add_option("--features", flags->features, "feature table with the columns the model needs")
      ->required();
  command->add_option("--out", flags->out, "predictions to write (CSV)")->capture_default_str();
  command->add_option("--threads", flags->threads, "threads (0 = one per core)")
      ->capture_default_str();
  command->callback([flags] { run_predict(*flags); });
}

}  // namespace playsight::cli
