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

PreparedSplit::PreparedSplit(const Table& features, const DataSplit& split)
    : PreparedSplit(features, split, FeatureMatrix(features, model_feature_columns(features))) {}

PreparedSplit::PreparedSplit(const Table& features, const DataSplit& split,
                             const FeatureMatrix& all)
    : label(label_column(features)),
      feature_names(model_feature_columns(features)),
      train(all.select(split.train)),
      valid(all.select(split.validation)),
      test(all.select(split.test)),
      y_train(labels_of(features, label, split.train)),
      y_valid(labels_of(features, label, split.validation)),
      y_test(labels_of(features, label, split.test)) {}

EvaluatedModel train_and_evaluate(const std::string& alias, const Table& features,
                                  const DataSplit& split, const ModelOptions& options) {
  PreparedSplit data(features, split);
  return train_and_evaluate(alias, data, options);
}

EvaluatedModel train_and_evaluate(const std::string& alias, PreparedSplit& data,
                                  const ModelOptions& options) {
  const ModelSpec& spec = find_model_spec(alias);
  EvaluatedModel result;
  ModelOptions with_horizon = options;
  with_horizon.horizon_days = horizon_days_of(data.label);
  const auto start = std::chrono::steady_clock::now();
  result.artifact.model = spec.make(with_horizon);
  result.artifact.model->fit(
      TrainingData{data.train, data.y_train, data.valid, data.y_valid, &data.shared});
  result.train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.test_actual = data.y_test;
  result.test_prediction = result.artifact.model->predict(data.test);
  result.metrics = result.test_prediction.payer.empty()
                       ? compute_spend_metrics(result.test_actual, result.test_prediction.amount)
                       : compute_spend_metrics(result.test_actual, result.test_prediction.amount,
                                               result.test_prediction.payer);
  result.artifact.alias = alias;
  result.artifact.features = data.feature_names;
  result.artifact.label = data.label;
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
