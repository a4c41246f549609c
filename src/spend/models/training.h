#pragma once
// Training one model under the protocol (training_protocol.h): fit on the split's train and
// validation players, predict the test players, score them (metrics.h). `playsight train` and
// `playsight compare` both go through train_and_evaluate, so every row of the comparison table
// and every saved artifact comes from the same procedure.
#include <string>
#include <vector>

#include "core/table.h"
#include "spend/metrics.h"
#include "spend/models/artifact.h"
#include "spend/models/training_protocol.h"

namespace playsight::spend {

struct EvaluatedModel {
  ModelArtifact artifact;           // ready to save
  std::vector<double> test_actual;  // label of each test player
  SpendPrediction test_prediction;  // the model's predictions for them
  SpendMetrics metrics;             // on the test players
  double train_seconds = 0;
};

// The matrices and labels of one split, built once for every model trained on it, and the stages
// those models have in common (SharedFits: each fitted once). Throws InputError for a table
// without the label or with negative labels.
struct PreparedSplit {
  PreparedSplit(const Table& features, const DataSplit& split);
  std::string label;
  std::vector<std::string> feature_names;
  FeatureMatrix train, valid, test;
  std::vector<double> y_train, y_valid, y_test;
  SharedFits shared;

 private:
  PreparedSplit(const Table& features, const DataSplit& split, const FeatureMatrix& all);
};

// Throws InputError for the errors of the protocol and the model.
EvaluatedModel train_and_evaluate(const std::string& alias, PreparedSplit& data,
                                  const ModelOptions& options);
// The same for one model alone.
EvaluatedModel train_and_evaluate(const std::string& alias, const Table& features,
                                  const DataSplit& split, const ModelOptions& options);

// The data summary written into model.json and reports.
nlohmann::json split_summary(const Table& features, const DataSplit& split,
                             const ProtocolOptions& protocol);

}  // namespace playsight::spend
