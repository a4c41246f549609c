#include "spend/model_comparison.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "gamelog/log_folder.h"
#include "playsight/version.h"
#include "spend/clv/clv_model.h"
#include "spend/features.h"
#include "spend/models/artifact.h"
#include "spend/models/training.h"

namespace playsight::spend {
namespace {

std::vector<std::string> selected_aliases(const std::vector<std::string>& models) {
  std::vector<std::string> aliases;
  if (models.empty()) {
    for (const ComparableModel& model : comparable_models()) aliases.push_back(model.alias);
    return aliases;
  }
  for (const std::string& alias : models)
    aliases.push_back(alias == kClvReferenceAlias ? alias : find_model_spec(alias).alias);
  return aliases;
}

std::string cutoff_of(const ComparisonRequest& request) {
  if (!request.cutoff.empty()) return request.cutoff;
  if (!request.logs.empty()) {
    const std::string cutoff = gamelog::manifest_cutoff(request.logs);
    if (!cutoff.empty()) return cutoff;
  }
  throw InputError(
      "--cutoff YYYY-MM-DD is required (the date the features end and the label starts)");
}

ModelKind kind_of(const std::string& kind) {
  if (kind == "team") return ModelKind::kTeam;
  if (kind == "reference") return ModelKind::kReference;
  return ModelKind::kNew;
}

// BG/NBD top-up days x Gamma-Gamma value, fitted on the train and validation players' raw
// top-ups before the cutoff and scored on the test players.
ComparisonRow score_clv_reference(const Table& features, const DataSplit& split,
                                  const std::string& topups_path, clv::TopupFileKind topup_kind,
                                  const FeatureOptions& feature_options, unsigned threads,
                                  const std::vector<double>& test_actual) {
  clv::RfmOptions rfm_options;
  rfm_options.players = features.keys;
  rfm_options.threads = threads;
  const auto start = std::chrono::steady_clock::now();
  const clv::RfmTable rfm =
      clv::rfm_from_topups(topups_path, topup_kind, feature_options.cutoff, rfm_options);
  std::vector<std::size_t> fit_rows = split.train;
  fit_rows.insert(fit_rows.end(), split.validation.begin(), split.validation.end());
  clv::ClvOptions clv_options;
  clv_options.threads = threads;
  const clv::ClvModel clv = clv::fit_clv(clv::select_rows(rfm, fit_rows), clv_options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::vector<double> predicted =
      clv::predict_clv(clv, clv::select_rows(rfm, split.test), feature_options.label_days, threads);
  ModelPredictions predictions;
  predictions.alias = kClvReferenceAlias;
  predictions.description =
      "reference: BG/NBD top-up days x Gamma-Gamma value, fitted by maximum likelihood";
  predictions.kind = ModelKind::kReference;
  predictions.predicted = predicted;
  predictions.training_seconds = seconds;
  return score_model(predictions, test_actual);
}

}  // namespace

std::vector<ComparableModel> comparable_models() {
  std::vector<ComparableModel> models;
  for (const ModelSpec& spec : model_specs())
    models.push_back({spec.alias, spec.kind, spec.description});
  models.push_back({kClvReferenceAlias, "reference",
                    "BG/NBD top-up days x Gamma-Gamma value (customer-lifetime-value models)"});
  return models;
}

ComparisonReport compare_models(const ComparisonRequest& request) {
  const std::vector<std::string> aliases = selected_aliases(request.models);
  const std::string cutoff_text = cutoff_of(request);
  FeatureOptions feature_options;
  try {
    feature_options.cutoff = parse_date(cutoff_text);
  } catch (const FieldError& error) {
    throw InputError(std::string("--cutoff: ") + error.what());
  }
  feature_options.label_days = request.horizon_days;
  feature_options.label = LabelMode::kAlways;
  feature_options.observation_days = request.window_days;
  feature_options.windows.clear();
  for (int w : {7, 30, 90}) {
    if (w < request.window_days) feature_options.windows.push_back(w);
  }
  feature_options.windows.push_back(request.window_days);
  feature_options.threads = request.threads;

  // Features: from the events, unless a table built earlier is given.
  Table features;
  ProtocolOptions protocol;
  ModelOptions model;
  model.seed = request.seed;
  model.threads = request.threads;
  std::string topups_path;
  auto topup_kind = clv::TopupFileKind::kGameLog;
  if (!request.transactions.empty()) {
    features = build_transaction_features(request.transactions, feature_options).table;
    topups_path = request.transactions;
    topup_kind = clv::TopupFileKind::kTransactions;
  } else {
    const gamelog::LogFolder logs = gamelog::find_log_files(request.logs);
    features = request.features.empty() ? build_player_features(logs, feature_options).table
                                        : read_table_csv(request.features, request.threads);
    if (!logs.topups)
      throw InputError(request.logs + ": no topups.csv, so there is nothing to predict");
    topups_path = *logs.topups;
    if (!request.all_players && logs.experiment) protocol.experiment_path = *logs.experiment;
  }
  protocol.control_only = !request.all_players;
  protocol.trim_top_share = request.trim_top_share;
  protocol.seed = request.seed;
  const DataSplit split = split_players(features, protocol);
  const std::string label = label_column(features);
  const auto& label_values = features.column(label);
  std::vector<double> test_actual;
  for (std::size_t r : split.test) test_actual.push_back(label_values[r]);

  ComparisonReport report;
  report.context.data_source = request.transactions.empty() ? request.logs : request.transactions;
  report.context.train_players = split.train.size();
  report.context.validation_players = split.validation.size();
  report.context.test_players = split.test.size();
  std::size_t payers = 0;
  for (double y : test_actual) payers += y > 0;
  report.context.test_payer_share =
      static_cast<double>(payers) /
      static_cast<double>(std::max<std::size_t>(1, test_actual.size()));
  report.context.cutoff = cutoff_text;
  report.context.horizon = request.horizon;
  report.context.generated_by = std::string("playsight ") + kVersion;
  report.context.protocol_notes = {
      "Players: " + split.population + "; " + std::to_string(split.control_players) + " of " +
          std::to_string(split.players) + " players.",
      "Split by player (seed " + std::to_string(protocol.seed) +
          "): 60% train, 20% validation (early stopping, thresholds, smearing), 20% test; every "
          "metric is on the test players.",
      protocol.trim_top_share > 0
          ? "Trimmed the top " + std::to_string(static_cast<int>(protocol.trim_top_share * 100)) +
                "% of train and validation players by 90-day top-ups (" +
                std::to_string(split.trimmed) + " players); the test set is not trimmed."
          : "No outlier trimming.",
      "Features use events before the cutoff only; the label is the top-up amount in the " +
          std::to_string(feature_options.label_days) + " days from it."};

  // Built once; the models share the stages they have in common (the payer classifier of the
  // two-stage models, the trees of a calibrated model and its uncalibrated twin), each fitted once.
  PreparedSplit prepared(features, split);
  for (const std::string& alias : aliases) {
    std::fprintf(stderr, "compare: %s ...\n", alias.c_str());
    if (alias == kClvReferenceAlias) {
      report.rows.push_back(score_clv_reference(features, split, topups_path, topup_kind,
                                                feature_options, request.threads, test_actual));
      continue;
    }
    EvaluatedModel result = train_and_evaluate(alias, prepared, model);
    const ModelSpec& spec = find_model_spec(alias);
    ModelPredictions predictions;
    predictions.alias = alias;
    predictions.description = spec.description;
    predictions.kind = kind_of(spec.kind);
    predictions.predicted = result.test_prediction.amount;
    predictions.predicted_payer = result.test_prediction.payer;
    predictions.training_seconds =
        spec.kind == "reference" ? std::numeric_limits<double>::quiet_NaN() : result.train_seconds;
    report.rows.push_back(score_model(predictions, test_actual));
    if (!request.save_models_folder.empty()) {
      result.artifact.training = split_summary(features, split, protocol);
      save_model_artifact(result.artifact,
                          std::filesystem::path(request.save_models_folder) / alias);
    }
  }
  return report;
}

}  // namespace playsight::spend
