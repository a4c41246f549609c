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

// Throws InputError for a table without the label or with negative labels, and for the errors
// of the protocol and the model.
EvaluatedModel train_and_evaluate(const std::string& alias, const Table& features,
                                  const DataSplit& split, const ModelOptions& options);

// The data summary written into model.json and reports.
nlohmann::json split_summary(const Table& features, const DataSplit& split,
                             const ProtocolOptions& protocol);

}  // namespace playsight::spend
