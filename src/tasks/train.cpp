// playsight train / predict: one spend model, trained under the protocol and saved as an
// artifact folder; then applied to any feature table with the columns it needs.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/table.h"
#include "spend/models/artifact.h"
#include "spend/models/training.h"
#include "tasks/catalog.h"

namespace playsight::tasks {

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

Option all_players_option() {
  return Option::flag("all-players",
                      "use every player, nudged or not (default: the control group)");
}

Option trim_top_option() {
  return Option::number("trim-top",
                        "drop this top share of train/validation players by 90-day top-ups (the "
                        "team used 0.1)",
                        spend::ProtocolOptions{}.trim_top_share);
}

spend::ProtocolOptions protocol_options(const Values& values, const std::string& experiment_path) {
  spend::ProtocolOptions protocol;
  const bool all_players = values.flag("all-players");
  protocol.experiment_path = all_players ? "" : experiment_path;
  protocol.control_only = !all_players;
  protocol.trim_top_share = values.number("trim-top");
  protocol.seed = static_cast<std::uint64_t>(values.integer("seed"));
  return protocol;
}

spend::ModelOptions model_options(const Values& values) {
  spend::ModelOptions model;
  model.seed = static_cast<std::uint64_t>(values.integer("seed"));
  model.threads = values.count("threads");
  return model;
}

namespace {

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

Result run_train(const Values& values, Progress&) {
  const std::string& features_path = values.text("features");
  const std::string& alias = values.text("model");
  const std::string& out = values.text("out");
  const spend::ModelOptions model = model_options(values);
  const Table features = read_table_csv(features_path, model.threads);
  const spend::ProtocolOptions protocol = protocol_options(values, values.text("experiment"));
  const spend::DataSplit split = spend::split_players(features, protocol);
  spend::EvaluatedModel result = spend::train_and_evaluate(alias, features, split, model);
  result.artifact.training = spend::split_summary(features, split, protocol);
  const nlohmann::json provenance = feature_provenance(features_path);
  if (!provenance.is_null()) result.artifact.training["features"] = provenance;
  spend::save_model_artifact(result.artifact, out);
  write_split(features, split, std::filesystem::path(out) / "split.csv");
  const spend::SpendMetrics& m = result.metrics;
  std::printf("%s trained in %.2f s on %zu players (%s), validated on %zu, tested on %zu\n",
              alias.c_str(), result.train_seconds, split.train.size(), split.population.c_str(),
              split.validation.size(), split.test.size());
  std::printf(
      "test: MAE %s KRW, MAPE+1000 %.3f, normalised Gini %.3f, Spearman %.3f, "
      "predicted/actual total %.3f, MAE on payers %s KRW\n",
      krw(m.mae).c_str(), m.mape_after_offset, m.normalized_gini, m.spearman, m.total_ratio,
      krw(m.mae_payers).c_str());
  std::printf("model:  %s/model.json (split: %s/split.csv, 0 train, 1 validation, 2 test)\n",
              out.c_str(), out.c_str());
  return {{{"model", out + "/model.json"}, {"split", out + "/split.csv"}}};
}

Result run_predict(const Values& values, Progress&) {
  spend::ModelOptions options;
  options.threads = values.count("threads");
  const std::string& model = values.text("model");
  const std::string& out_path = values.text("out");
  const spend::ModelArtifact artifact = spend::load_model_artifact(model, options);
  const Table features = read_table_csv(values.text("features"), options.threads);
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
  write_table_csv(out, out_path, CsvWriteOptions{options.threads, 2});
  double total = 0;
  for (double value : prediction.amount) total += value;
  std::printf("%zu players predicted with %s (%s): total %s KRW, mean %s KRW\n", x.rows(),
              artifact.alias.c_str(), model.c_str(), krw(total).c_str(),
              krw(x.rows() ? total / static_cast<double>(x.rows()) : 0).c_str());
  std::printf("predictions: %s\n", out_path.c_str());
  return {{{"predictions", out_path}}};
}

}  // namespace

std::vector<Task> train_tasks() {
  return {
      {.name = "train",
       .part = "spend",
       .summary = "Train one spend model on a feature table and save it as a model folder.",
       .options = {Option::path("features",
                                "feature table from `playsight features` (with its label)")
                       .needed(),
                   Option::text("model", "model alias (see `playsight compare --list`)").needed(),
                   shared::out("model folder to write").needed(),
                   Option::path("experiment",
                                "experiment.csv: train on its control group only (the default "
                                "protocol)"),
                   all_players_option(), trim_top_option(),
                   shared::seed("seed of the split and the trees", spend::ModelOptions{}.seed),
                   shared::threads()},
       .run = run_train,
       .outputs = {{"model", "model.json", "", "the model: its trees, features and metrics"},
                   {"split", "split.csv", "",
                    "which part each player was in: 0 train, 1 validation, 2 test"}},
       .examples = {{"playsight train --features features.csv --model tweedie_model --out model",
                     "trains XGBoost's Tweedie model on the control group"}},
       .job = true},
      {.name = "predict",
       .part = "spend",
       .summary = "Predict each player's top-up amount with a saved model.",
       .options =
           {Option::path("model", "model folder written by `playsight train`").needed(),
            Option::path("features", "feature table with the columns the model needs").needed(),
            shared::out("predictions to write (CSV)", "predictions.csv"), shared::threads()},
       .run = run_predict,
       .outputs = {{"predictions", "predictions.csv", "",
                    "player_id, predicted amount (and payer probability)"}},
       .job = true},
  };
}

}  // namespace playsight::tasks
