#include "spend/models/training.h"

#include <chrono>
#include <cmath>

#include "core/error.h"

namespace playsight::spend {
namespace {

std::vector<double> labels_of(const Table& features, const std::string& label,
                              const std::vector<std::size_t>& rows) {
  const auto& column = features.column(label);
  std::vector<double> y;
  y.reserve(rows.size());
  for (std::size_t r : rows) {
    const double value = column[r];
    if (std::isnan(value) || value < 0) {
      throw InputError("the label " + label + " of player " + features.keys[r] + " is " +
                       (std::isnan(value) ? std::string("missing") : std::to_string(value)) +
                       "; labels must be amounts >= 0");
    }
    y.push_back(value);
  }
  return y;
}

}  // namespace

EvaluatedModel train_and_evaluate(const std::string& alias, const Table& features,
                                  const DataSplit& split, const ModelOptions& options) {
  const ModelSpec& spec = find_model_spec(alias);
  const std::string label = label_column(features);
  const std::vector<std::string> names = model_feature_columns(features);
  const FeatureMatrix all(features, names);
  const FeatureMatrix train = all.select(split.train);
  const FeatureMatrix valid = all.select(split.validation);
  const FeatureMatrix test = all.select(split.test);
  const std::vector<double> y_train = labels_of(features, label, split.train);
  const std::vector<double> y_valid = labels_of(features, label, split.validation);

  EvaluatedModel result;
  ModelOptions with_horizon = options;
  with_horizon.horizon_days = horizon_days_of(label);
  const auto start = std::chrono::steady_clock::now();
  result.artifact.model = spec.make(with_horizon);
  result.artifact.model->fit(TrainingData{train, y_train, valid, y_valid});
  result.train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.test_actual = labels_of(features, label, split.test);
  result.test_prediction = result.artifact.model->predict(test);
  result.metrics = result.test_prediction.payer.empty()
                       ? compute_spend_metrics(result.test_actual, result.test_prediction.amount)
                       : compute_spend_metrics(result.test_actual, result.test_prediction.amount,
                                               result.test_prediction.payer);
  result.artifact.alias = alias;
  result.artifact.features = names;
  result.artifact.label = label;
  result.artifact.metrics = {{"test_players", result.metrics.players},
                             {"mae", result.metrics.mae},
                             {"mape_after_1000", result.metrics.mape_after_offset},
                             {"normalized_gini", result.metrics.normalized_gini},
                             {"spearman", result.metrics.spearman},
                             {"total_ratio", result.metrics.total_ratio},
                             {"mae_payers", result.metrics.mae_payers},
                             {"calibration_error", result.metrics.calibration_error},
                             {"train_seconds", result.train_seconds}};
  return result;
}

nlohmann::json split_summary(const Table& features, const DataSplit& split,
                             const ProtocolOptions& protocol) {
  const std::string label = label_column(features);
  const auto& y = features.column(label);
  std::size_t payers = 0;
  for (std::size_t r : split.train) payers += y[r] > 0;
  return {{"players_in_table", split.players},
          {"population", split.population},
          {"players_used", split.control_players},
          {"train_players", split.train.size()},
          {"validation_players", split.validation.size()},
          {"test_players", split.test.size()},
          {"trimmed_players", split.trimmed},
          {"trim_top_share", protocol.trim_top_share},
          {"train_payer_share", split.train.empty() ? 0.0
                                                    : static_cast<double>(payers) /
                                                          static_cast<double>(split.train.size())},
          {"label", label},
          {"seed", protocol.seed}};
}

}  // namespace playsight::spend
